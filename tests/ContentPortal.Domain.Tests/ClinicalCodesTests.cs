namespace ContentPortal.Domain.Tests;

public class ClinicalCodesTests
{
    // The codes named in issue 13; each passes the Verhoeff check and is a short-format concept id (partition 00).
    [Theory]
    [InlineData("279039007", "Low back pain")]
    [InlineData("9631008", "Ankylosing spondylitis")]
    [InlineData("386661006", "Fever")]
    [InlineData("26544005", "Muscle weakness")]
    [InlineData("89362005", "Weight loss")]
    [InlineData("165232002", "Urinary incontinence")]
    // Well-known concepts: the root, Clinical finding, Myocardial infarction, Hypertensive disorder.
    [InlineData("138875005", "SNOMED CT Concept")]
    [InlineData("404684003", "Clinical finding")]
    [InlineData("22298006", "Myocardial infarction")]
    [InlineData("38341003", "Hypertensive disorder")]
    // Long format (partition 10, 7-digit namespace): the UK clinical extension module (18 digits) and the Australian module.
    [InlineData("999000011000000103", "SNOMED CT United Kingdom clinical extension module")]
    [InlineData("32506021000036107", "SNOMED CT-AU module")]
    public void Real_SNOMED_CT_concept_ids_are_valid(string code, string display)
    {
        Assert.Null(Sctid.Problem(code));
        Assert.Null(ClinicalCodeInput.Problem([new ClinicalCode(CodeSystems.Snomed, code, display)]));
    }

    [Theory]
    [InlineData("M54.5")]
    [InlineData("M45")]
    [InlineData("R50.9")]
    [InlineData("A00")]
    [InlineData("U07.1")]
    [InlineData("M54.16")]
    public void WHO_ICD_10_codes_are_valid(string code)
    {
        Assert.Null(Icd10Code.Problem(code));
    }

    [Theory]
    [InlineData("279039008", "279039008 is not a valid SNOMED CT identifier: its check digit does not match (Verhoeff).")]
    [InlineData("297039007", "297039007 is not a valid SNOMED CT identifier: its check digit does not match (Verhoeff).")] // two digits swapped
    [InlineData("27903900A", "27903900A is not a valid SNOMED CT identifier: it may contain only digits.")]
    [InlineData("279 039007", "279 039007 is not a valid SNOMED CT identifier: it may contain only digits.")]
    [InlineData("-279039007", "-279039007 is not a valid SNOMED CT identifier: it may contain only digits.")]
    [InlineData("12006", "12006 is not a valid SNOMED CT identifier: it has 5 digits; SNOMED CT identifiers have 6 to 18.")] // check digit fits
    [InlineData("1234567890123456003", "1234567890123456003 is not a valid SNOMED CT identifier: it has 19 digits; SNOMED CT identifiers have 6 to 18.")]
    [InlineData("0279039006", "0279039006 is not a valid SNOMED CT identifier: it starts with 0.")] // check digit fits
    [InlineData("123456017", "123456017 is a SNOMED CT description identifier (partition 01), not a concept; use the concept's identifier.")]
    [InlineData("11000087116", "11000087116 is a SNOMED CT description identifier (partition 11), not a concept; use the concept's identifier.")]
    [InlineData("123456029", "123456029 is a SNOMED CT relationship identifier (partition 02), not a concept; use the concept's identifier.")]
    [InlineData("11000087128", "11000087128 is a SNOMED CT relationship identifier (partition 12), not a concept; use the concept's identifier.")]
    [InlineData("123456055", "123456055 is not a SNOMED CT concept identifier: its partition identifier 05 is not a concept partition (00 or 10).")]
    [InlineData("12345107", "12345107 is not a valid SNOMED CT identifier: its partition identifier 10 means a 7-digit namespace, and it is too short to hold one.")]
    public void Invalid_SNOMED_CT_ids_are_refused_with_the_reason(string code, string problem)
    {
        // Synthetic ids (description, relationship, other partitions) carry a correct Verhoeff digit, so the partition is what is refused.
        Assert.Equal(problem, Sctid.Problem(code));
    }

    [Theory]
    [InlineData("M5", "M5 is not an ICD-10 code: ICD-10 codes are a letter, two digits and optionally a dot with one or two digits, e.g. M45 or M54.5.")]
    [InlineData("M54.555", "M54.555 is not an ICD-10 code: ICD-10 codes are a letter, two digits and optionally a dot with one or two digits, e.g. M45 or M54.5.")]
    [InlineData("5M4", "5M4 is not an ICD-10 code: ICD-10 codes are a letter, two digits and optionally a dot with one or two digits, e.g. M45 or M54.5.")]
    [InlineData("M54.", "M54. is not an ICD-10 code: ICD-10 codes are a letter, two digits and optionally a dot with one or two digits, e.g. M45 or M54.5.")]
    [InlineData("M54.X", "M54.X is not an ICD-10 code: ICD-10 codes are a letter, two digits and optionally a dot with one or two digits, e.g. M45 or M54.5.")]
    [InlineData("S72.001A", "S72.001A is not an ICD-10 code: ICD-10 codes are a letter, two digits and optionally a dot with one or two digits, e.g. M45 or M54.5.")] // ICD-10-CM
    [InlineData("M545", "M545 is not an ICD-10 code as written: put a dot after the third character, M54.5.")]
    [InlineData("M5416", "M5416 is not an ICD-10 code as written: put a dot after the third character, M54.16.")]
    [InlineData("m54.5", "m54.5 is not an ICD-10 code as written: write it in capitals, M54.5.")]
    public void Invalid_ICD_10_codes_are_refused_with_the_reason(string code, string problem)
    {
        Assert.Equal(problem, Icd10Code.Problem(code));
    }

    [Theory]
    [InlineData("SNOMED 279039007 Low back pain", CodeSystems.Snomed, "279039007", "Low back pain")]
    [InlineData("SCT 9631008 Ankylosing spondylitis", CodeSystems.Snomed, "9631008", "Ankylosing spondylitis")]
    [InlineData("snomed 386661006 Fever", CodeSystems.Snomed, "386661006", "Fever")]
    [InlineData("SNOMED CT 26544005 Muscle weakness", CodeSystems.Snomed, "26544005", "Muscle weakness")]
    [InlineData("http://snomed.info/sct 89362005 Weight loss", CodeSystems.Snomed, "89362005", "Weight loss")]
    [InlineData("  SNOMED\t165232002 |Urinary incontinence|  ", CodeSystems.Snomed, "165232002", "Urinary incontinence")]
    [InlineData("SNOMED 279039007 - Low back pain", CodeSystems.Snomed, "279039007", "Low back pain")]
    [InlineData("SNOMED 279039007", CodeSystems.Snomed, "279039007", "")]
    [InlineData("ICD-10 M54.5 Low back pain", CodeSystems.Icd10, "M54.5", "Low back pain")]
    [InlineData("ICD10 M45 Ankylosing spondylitis", CodeSystems.Icd10, "M45", "Ankylosing spondylitis")]
    [InlineData("icd-10 m54.5 low back pain", CodeSystems.Icd10, "M54.5", "low back pain")]
    [InlineData("http://hl7.org/fhir/sid/icd-10 M45", CodeSystems.Icd10, "M45", "")]
    [InlineData("LOINC 8867-4 Heart rate", "LOINC", "8867-4", "Heart rate")]
    [InlineData("SNOMED", CodeSystems.Snomed, "", "")]
    public void A_line_splits_into_system_code_and_display(string line, string system, string code, string display)
    {
        var parsed = Assert.Single(ClinicalCodeInput.ParseLines(line));

        Assert.Equal(new ClinicalCode(system, code, display), parsed);
    }

    [Fact]
    public void Empty_lines_are_skipped_and_order_is_kept()
    {
        var codes = ClinicalCodeInput.ParseLines("ICD-10 M54.5 Low back pain\r\n\r\n  \nSNOMED 279039007 Low back pain\n");

        Assert.Equal(["M54.5", "279039007"], codes.Select(c => c.Code));
    }

    [Theory]
    [InlineData("SNOMED 279039007 Low back pain\nSNOMED 9631008 Ankylosing spondylitis\nSNOMED 386661006 Fever\nSNOMED 26544005 Muscle weakness\nSNOMED 89362005 Weight loss\nSNOMED 165232002 Urinary incontinence\nICD-10 M54.5 Low back pain\nICD-10 M45 Ankylosing spondylitis", null)]
    [InlineData("SNOMED 279039007 Low back pain\nSNOMED 279039008 Low back pain", "Line 2: 279039008 is not a valid SNOMED CT identifier: its check digit does not match (Verhoeff).")]
    [InlineData("SNOMED 27903900A", "Line 1: 27903900A is not a valid SNOMED CT identifier: it may contain only digits.")]
    [InlineData("SNOMED 12006", "Line 1: 12006 is not a valid SNOMED CT identifier: it has 5 digits; SNOMED CT identifiers have 6 to 18.")]
    [InlineData("SNOMED 1234567890123456003", "Line 1: 1234567890123456003 is not a valid SNOMED CT identifier: it has 19 digits; SNOMED CT identifiers have 6 to 18.")]
    [InlineData("SNOMED 0279039006", "Line 1: 0279039006 is not a valid SNOMED CT identifier: it starts with 0.")]
    [InlineData("SNOMED 123456017 Low back pain", "Line 1: 123456017 is a SNOMED CT description identifier (partition 01), not a concept; use the concept's identifier.")]
    [InlineData("ICD-10 M5", "Line 1: M5 is not an ICD-10 code: ICD-10 codes are a letter, two digits and optionally a dot with one or two digits, e.g. M45 or M54.5.")]
    [InlineData("ICD-10 M54.555", "Line 1: M54.555 is not an ICD-10 code: ICD-10 codes are a letter, two digits and optionally a dot with one or two digits, e.g. M45 or M54.5.")]
    [InlineData("ICD-10 5M4", "Line 1: 5M4 is not an ICD-10 code: ICD-10 codes are a letter, two digits and optionally a dot with one or two digits, e.g. M45 or M54.5.")]
    [InlineData("icd10 m545 Low back pain", "Line 1: M545 is not an ICD-10 code as written: put a dot after the third character, M54.5.")]
    [InlineData("LOINC 8867-4 Heart rate", "Line 1: LOINC is not a code system the portal knows; use SNOMED or ICD-10.")]
    [InlineData("ICD-10-CM S72.001A", "Line 1: ICD-10-CM is not a code system the portal knows; use SNOMED or ICD-10.")]
    [InlineData("279039007 Low back pain", "Line 1: start the line with the code system, SNOMED or ICD-10, before 279039007.")]
    [InlineData("M54.5 Low back pain", "Line 1: start the line with the code system, SNOMED or ICD-10, before M54.5.")]
    [InlineData("ICD-10", "Line 1: add the code after ICD-10.")]
    [InlineData("SNOMED 279039007 Low back pain\nSCT 279039007 Lumbago", "Line 2: SNOMED CT 279039007 is already on line 1.")]
    [InlineData("ICD-10 M54.5\nicd10 m54.5", "Line 2: ICD-10 M54.5 is already on line 1.")]
    [InlineData("ICD-10 M54.5 Low back pain\nSNOMED 279039007 Low back pain", null)] // same display, different systems: fine
    [InlineData("SNOMED 1\nICD-10 M5\nSNOMED 386661006 Fever\nFOO 1", "Line 1: 1 is not a valid SNOMED CT identifier: it has 1 digit; SNOMED CT identifiers have 6 to 18. Line 2: M5 is not an ICD-10 code: ICD-10 codes are a letter, two digits and optionally a dot with one or two digits, e.g. M45 or M54.5. Line 4: FOO is not a code system the portal knows; use SNOMED or ICD-10.")]
    public void Problems_name_the_line_and_the_code(string text, string? problem)
    {
        Assert.Equal(problem, ClinicalCodeInput.Problem(ClinicalCodeInput.ParseLines(text)));
    }

    [Theory]
    [InlineData(200, null)]
    [InlineData(201, "Line 1: the text after 386661006 is 201 characters; the limit is 200.")]
    public void The_display_is_optional_but_bounded(int length, string? problem)
    {
        var codes = ClinicalCodeInput.ParseLines("SNOMED 386661006 " + new string('x', length));

        Assert.Equal(problem, ClinicalCodeInput.Problem(codes));
    }

    [Theory]
    [InlineData(20, null)]
    [InlineData(21, "There are 21 codes; the limit is 20.")]
    [InlineData(120, "There are 120 codes; the limit is 20.")]
    public void At_most_twenty_codes_per_item(int count, string? problem)
    {
        // Distinct valid concept ids: 100 + i, a concept partition, and the Verhoeff digit.
        var lines = Enumerable.Range(0, count).Select(i => $"SNOMED {WithCheckDigit($"{100 + i}00")}");

        Assert.Equal(problem, ClinicalCodeInput.Problem(ClinicalCodeInput.ParseLines(string.Join("\n", lines))));
    }

    [Theory]
    [InlineData("SNOMED 279039007 Low back pain\nICD-10 M54.5 Low back pain\nSNOMED 9631008\nICD-10 M45 Ankylosing spondylitis")]
    [InlineData("LOINC 8867-4 Heart rate")]
    [InlineData("")]
    public void ToLines_round_trips(string lines)
    {
        var codes = ClinicalCodeInput.ParseLines(lines);

        Assert.Equal(lines, ClinicalCodeInput.ToLines(codes));
        Assert.Equal(codes, ClinicalCodeInput.ParseLines(ClinicalCodeInput.ToLines(codes)));
    }

    [Theory]
    [InlineData("sct  279039007   |Low back pain|", "SNOMED 279039007 Low back pain")]
    [InlineData("SNOMED CT 9631008 Ankylosing spondylitis", "SNOMED 9631008 Ankylosing spondylitis")]
    [InlineData("http://hl7.org/fhir/sid/icd-10 m54.5 Low back pain", "ICD-10 M54.5 Low back pain")]
    public void ToLines_writes_the_normalised_form(string typed, string shown)
    {
        Assert.Equal(shown, ClinicalCodeInput.ToLines(ClinicalCodeInput.ParseLines(typed)));
    }

    [Theory]
    [InlineData("SNOMED", CodeSystems.Snomed)]
    [InlineData("sct", CodeSystems.Snomed)]
    [InlineData("Snomed-CT", CodeSystems.Snomed)]
    [InlineData("http://snomed.info/sct", CodeSystems.Snomed)]
    [InlineData("ICD-10", CodeSystems.Icd10)]
    [InlineData("icd10", CodeSystems.Icd10)]
    [InlineData("http://hl7.org/fhir/sid/icd-10", CodeSystems.Icd10)]
    [InlineData("ICD-10-CM", null)]
    [InlineData("http://hl7.org/fhir/sid/icd-10-cm", null)]
    [InlineData("LOINC", null)]
    [InlineData("", null)]
    public void Typed_system_names_map_to_their_URI(string typed, string? system)
    {
        Assert.Equal(system, CodeSystems.FromTyped(typed));
    }

    [Theory]
    [InlineData("236", '3')] // the textbook example: 2363
    [InlineData("27903900", '7')]
    [InlineData("963100", '8')]
    [InlineData("38666100", '6')]
    [InlineData("10000", '5')]
    public void The_Verhoeff_check_digit(string digits, char check)
    {
        Assert.Equal(check, Verhoeff.CheckDigit(digits));
        Assert.True(Verhoeff.IsValid(digits + check));
    }

    [Theory]
    [InlineData("279039007")]
    [InlineData("9631008")]
    [InlineData("386661006")]
    [InlineData("999000011000000103")]
    public void Verhoeff_catches_every_single_digit_error_and_every_adjacent_swap(string code)
    {
        for (var i = 0; i < code.Length; i++)
        {
            foreach (var digit in "0123456789".Where(d => d != code[i]))
            {
                Assert.False(Verhoeff.IsValid(code[..i] + digit + code[(i + 1)..]), $"{code} with {digit} at {i}");
            }

            if (i + 1 < code.Length && code[i] != code[i + 1])
            {
                Assert.False(Verhoeff.IsValid(code[..i] + code[i + 1] + code[i] + code[(i + 2)..]), $"{code} with {i} and {i + 1} swapped");
            }
        }
    }

    private static string WithCheckDigit(string digits) => digits + Verhoeff.CheckDigit(digits);
}
