# The two commands of the README:
#   make sample   set up, then build the sample plan into site/ (site and PDFs)
#   make test     set up, then run every test (builds the sample with the real engines)
# Setup is idempotent: each step is skipped when already done.

VENV       := .venv
PY         := $(VENV)/bin/python
APT_NEEDED := fonts-liberation2 fonts-dejavu-core libharfbuzz-subset0 libpango-1.0-0 \
              libpangoft2-1.0-0 poppler-utils chromium libjaxb-java openjdk-17-jre-headless
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: sample test setup system python node clean

sample: setup
	$(VENV)/bin/yjplan build

# --dist loadfile: pytest-xdist 3.8's loadgroup does not group under pytest 9 (it renames
# item._nodeid, which pytest 9 no longer reads), so a module's session fixtures (the sample
# build, veraPDF) would run on both workers. By file, each runs once per worker that needs it.
test: setup
	$(PY) -m pytest -n 2 --dist loadfile

setup: system python node

# Debian packages: fonts for the PDFs, Chromium for browser tests, Java for vnu and veraPDF.
system:
	@missing=$$(for p in $(APT_NEEDED); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:" $$missing; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# Python packages, exactly as locked in requirements.lock.
python: $(VENV)/.installed
$(VENV)/.installed: requirements.lock pyproject.toml
	[ -x $(PY) ] || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check uv==0.13.9
	$(VENV)/bin/uv pip install -q --compile-bytecode --python $(PY) -r requirements.lock
	$(VENV)/bin/uv pip install -q --python $(PY) --no-deps -e .
	touch $@

# npm packages for the tests: axe-core and the Nu HTML checker, as locked in package-lock.json.
node: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

# Regenerate the lock file after changing pyproject.toml.
lock:
	$(VENV)/bin/uv pip compile -q pyproject.toml --extra test -o requirements.lock

clean:
	rm -rf site .yjplan-build-* .pytest_cache
