// Name the version selector's button after the plan year it shows. Material labels it
// "Select version" whatever it shows, so a speech-recognition user who says the words on the
// button ("2024-25") cannot reach it (WCAG 2.2 SC 2.5.3 Label in Name).
(function () {
  function name(button) {
    var wanted = button.textContent.trim() + ": choose another plan year";
    if (button.getAttribute("aria-label") !== wanted) button.setAttribute("aria-label", wanted);
  }
  function fix() {
    document.querySelectorAll(".md-version__current").forEach(name);
  }
  var header = document.querySelector(".md-header");
  if (header) new MutationObserver(fix).observe(header, { childList: true, subtree: true });
  fix();
})();

// Wide tables scroll inside their own box, so the page itself never scrolls sideways on a phone
// or at 400% zoom (SC 1.4.10 Reflow). A box that does scroll can be reached with the keyboard
// and is named after its table's caption (SC 2.1.1 Keyboard).
document$.subscribe(function () {
  var boxes = [];
  document.querySelectorAll(".md-typeset table").forEach(function (table) {
    var box = table.closest(".md-typeset__scrollwrap, .yj-table-scroll");
    if (!box) {
      box = document.createElement("div");
      box.className = "yj-table-scroll";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    }
    boxes.push(box);
  });
  function mark(box) {
    var caption = box.querySelector("caption");
    if (box.scrollWidth > box.clientWidth + 1) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", (caption ? caption.textContent.trim() : "Table") + " (scrolls sideways)");
    } else {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }
  var watch = new ResizeObserver(function (entries) {
    entries.forEach(function (entry) { mark(entry.target); });
  });
  boxes.forEach(function (box) { mark(box); watch.observe(box); });
});
