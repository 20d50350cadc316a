namespace ContentPortal.Domain;

/// <summary>The code systems an item may be coded in, by their FHIR system URIs.</summary>
public static class CodeSystems
{
    /// <summary>SNOMED CT (any edition).</summary>
    public const string Snomed = "http://snomed.info/sct";

    /// <summary>WHO ICD-10 (not ICD-10-CM, which has its own URI and codes such as S72.001A).</summary>
    public const string Icd10 = "http://hl7.org/fhir/sid/icd-10";

    /// <summary>The system's URI for what an editor typed ("SNOMED", "SCT", "ICD-10", "ICD10", or the URI itself; any case), else null.</summary>
    public static string? FromTyped(string? typed) => typed?.Trim().ToUpperInvariant() switch
    {
        "SNOMED" or "SCT" or "SNOMED-CT" or "SNOMEDCT" or "HTTP://SNOMED.INFO/SCT" => Snomed,
        "ICD-10" or "ICD10" or "HTTP://HL7.ORG/FHIR/SID/ICD-10" => Icd10,
        _ => null,
    };

    /// <summary>The word the editor's line starts with for this system ("SNOMED", "ICD-10"); an unknown system as it is.</summary>
    public static string Typed(string system) => system switch
    {
        Snomed => "SNOMED",
        Icd10 => "ICD-10",
        _ => system,
    };

    /// <summary>The system's name in messages ("SNOMED CT", "ICD-10").</summary>
    public static string Name(string system) => system switch
    {
        Snomed => "SNOMED CT",
        Icd10 => "ICD-10",
        _ => system,
    };
}

/// <summary>
/// A code from a clinical terminology that says what an item is about: the system's URI, the code, and
/// optionally the text the editor wrote beside it (not checked against the terminology: there is no
/// terminology server here, only the codes' structure is checked).
/// </summary>
public sealed record ClinicalCode(string System, string Code, string Display)
{
    /// <summary>
    /// Codes per item. An article or red-flag list is about one condition; 20 leaves room for a SNOMED CT
    /// concept and an ICD-10 code for each of ten symptoms, while every code is something the reviewer signs
    /// off and consumers index, so a pasted code list (the "100+ codes on one item" case) is refused.
    /// </summary>
    public const int MaxCodes = 20;

    public const int MaxDisplayLength = 200;

    /// <summary>The line as the editor shows it: "SNOMED 279039007 Low back pain".</summary>
    public string ToLine() => string.Join(" ", new[] { CodeSystems.Typed(System), Code, Display }.Where(part => part.Length > 0));

    /// <summary>
    /// Why <paramref name="code"/> is not a valid code of <paramref name="system"/>, as a sentence naming the code
    /// ("279039008 is not a valid SNOMED CT identifier: …"), or null when it is valid. The code must be as
    /// <see cref="ClinicalCodeInput.ParseLines"/> leaves it (trimmed; ICD-10 in capitals).
    /// </summary>
    public static string? CodeProblem(string system, string code) => system switch
    {
        CodeSystems.Snomed => Sctid.Problem(code),
        CodeSystems.Icd10 => Icd10Code.Problem(code),
        _ => $"{system} is not a code system the portal knows; use SNOMED or ICD-10.",
    };
}

/// <summary>Codes as a version stores them, and as one comparable text.</summary>
public static class ClinicalCodes
{
    /// <summary>Trimmed, in the editor's order; what a save stores and the hash covers.</summary>
    public static IReadOnlyList<ClinicalCode> Normalized(IEnumerable<ClinicalCode>? codes) =>
        (codes ?? []).Select(c => new ClinicalCode(c.System.Trim(), c.Code.Trim(), c.Display.Trim())).ToList().AsReadOnly();

    /// <summary>The codes as the editor's lines (empty when none): how conflicts and the audit trail compare them.</summary>
    public static string Text(IEnumerable<ClinicalCode>? codes) => ClinicalCodeInput.ToLines(Normalized(codes));
}

/// <summary>The editor's Codes field: one code per line, "system code display".</summary>
public static class ClinicalCodeInput
{
    private static readonly char[] DisplayEdges = [' ', '\t', '-', '–', '—', '|', ':', ';', ','];

    /// <summary>
    /// One code per non-empty line: the first word is the system (SNOMED, SCT, ICD-10, ICD10 or the URI;
    /// "SNOMED CT" as two words too), the next word the code, the rest of the line the display. A display
    /// written the SNOMED CT way, "|Low back pain|", loses its bars. Known systems become their URI and
    /// ICD-10 codes are put in capitals; anything else is kept as typed so <see cref="Problem"/> can point at it.
    /// </summary>
    public static IReadOnlyList<ClinicalCode> ParseLines(string? text)
    {
        var codes = new List<ClinicalCode>();
        foreach (var raw in (text ?? "").Replace("\r\n", "\n").Split('\n'))
        {
            var rest = raw.Trim();
            if (rest.Length == 0)
            {
                continue;
            }

            var typedSystem = NextWord(ref rest);
            var system = CodeSystems.FromTyped(typedSystem);
            if (system == CodeSystems.Snomed && typedSystem.Equals("SNOMED", StringComparison.OrdinalIgnoreCase) && PeekWord(rest).Equals("CT", StringComparison.OrdinalIgnoreCase))
            {
                NextWord(ref rest);
            }

            var code = NextWord(ref rest);
            if (system == CodeSystems.Icd10)
            {
                code = code.ToUpperInvariant();
            }

            codes.Add(new ClinicalCode(system ?? typedSystem, code, rest.Trim(DisplayEdges)));
        }

        return codes;
    }

    public static string ToLines(IEnumerable<ClinicalCode> codes) => string.Join("\n", codes.Select(c => c.ToLine()));

    /// <summary>The first problem of each code, by line number (1-based), for the Codes field; null when all are fine.</summary>
    public static string? Problem(IReadOnlyList<ClinicalCode> codes)
    {
        if (codes.Count > ClinicalCode.MaxCodes)
        {
            return $"There are {codes.Count} codes; the limit is {ClinicalCode.MaxCodes}.";
        }

        var problems = new List<string>();
        var seen = new Dictionary<(string, string), int>();
        for (var i = 0; i < codes.Count; i++)
        {
            var (system, code, display) = (codes[i].System.Trim(), codes[i].Code.Trim(), codes[i].Display.Trim());
            var line = i + 1;
            if (system != CodeSystems.Snomed && system != CodeSystems.Icd10)
            {
                problems.Add(LooksLikeCode(system)
                    ? $"Line {line}: start the line with the code system, SNOMED or ICD-10, before {system}."
                    : $"Line {line}: {system} is not a code system the portal knows; use SNOMED or ICD-10.");
            }
            else if (code.Length == 0)
            {
                problems.Add($"Line {line}: add the code after {CodeSystems.Typed(system)}.");
            }
            else if (ClinicalCode.CodeProblem(system, code) is { } codeProblem)
            {
                problems.Add($"Line {line}: {codeProblem}");
            }
            else if (display.Length > ClinicalCode.MaxDisplayLength)
            {
                problems.Add($"Line {line}: the text after {code} is {display.Length} characters; the limit is {ClinicalCode.MaxDisplayLength}.");
            }
            else if (seen.TryGetValue((system, code), out var first))
            {
                problems.Add($"Line {line}: {CodeSystems.Name(system)} {code} is already on line {first}.");
            }
            else
            {
                seen[(system, code)] = line;
            }
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }

    // "279039007" or "M54.5" where the system should be: the editor left the system out.
    private static bool LooksLikeCode(string word) =>
        word.Length > 1 && (word.All(char.IsAsciiDigit) || (char.IsAsciiLetter(word[0]) && char.IsAsciiDigit(word[1])));

    private static string NextWord(ref string rest)
    {
        rest = rest.TrimStart();
        var end = 0;
        while (end < rest.Length && !char.IsWhiteSpace(rest[end]))
        {
            end++;
        }

        var word = rest[..end];
        rest = rest[end..];
        return word;
    }

    private static string PeekWord(string rest)
    {
        var copy = rest;
        return NextWord(ref copy);
    }
}

/// <summary>
/// SNOMED CT identifiers (SCTIDs): 6 to 18 digits, no leading zero; the last digit is a Verhoeff check digit and
/// the two before it the partition identifier: 00 concept, 01 description, 02 relationship (short format);
/// 10, 11, 12 the same with a 7-digit namespace before the partition (long format). Codes name concepts, so only
/// partitions 00 and 10 are accepted.
/// </summary>
public static class Sctid
{
    public const int MinLength = 6;
    public const int MaxLength = 18;

    /// <summary>Why <paramref name="code"/> is not a SNOMED CT concept identifier, or null when it is one.</summary>
    public static string? Problem(string code)
    {
        var invalid = $"{code} is not a valid SNOMED CT identifier";
        if (!code.All(char.IsAsciiDigit))
        {
            return $"{invalid}: it may contain only digits.";
        }

        if (code.Length is < MinLength or > MaxLength)
        {
            return $"{invalid}: it has {code.Length} digit{(code.Length == 1 ? "" : "s")}; SNOMED CT identifiers have {MinLength} to {MaxLength}.";
        }

        if (code[0] == '0')
        {
            return $"{invalid}: it starts with 0.";
        }

        if (!Verhoeff.IsValid(code))
        {
            return $"{invalid}: its check digit does not match (Verhoeff).";
        }

        var partition = code[^3..^1];
        return partition switch
        {
            "00" => null,
            "10" when code.Length < 11 => $"{invalid}: its partition identifier 10 means a 7-digit namespace, and it is too short to hold one.",
            "10" => null,
            "01" or "11" => $"{code} is a SNOMED CT description identifier (partition {partition}), not a concept; use the concept's identifier.",
            "02" or "12" => $"{code} is a SNOMED CT relationship identifier (partition {partition}), not a concept; use the concept's identifier.",
            _ => $"{code} is not a SNOMED CT concept identifier: its partition identifier {partition} is not a concept partition (00 or 10).",
        };
    }
}

/// <summary>
/// WHO ICD-10 codes: a letter, two digits, and optionally a dot with one or two digits (M45, M54.5, M54.16).
/// Codes are in capitals (the editor's input is put in capitals first). "M545" without the dot is refused with
/// the dotted form suggested rather than guessed silently, so what the reviewer signs is what the feed carries.
/// </summary>
public static class Icd10Code
{
    /// <summary>Why <paramref name="code"/> is not a WHO ICD-10 code, or null when it is one.</summary>
    public static string? Problem(string code)
    {
        if (IsValid(code))
        {
            return null;
        }

        if (IsValid(code.ToUpperInvariant()))
        {
            return $"{code} is not an ICD-10 code as written: write it in capitals, {code.ToUpperInvariant()}.";
        }

        if (code.Length is 4 or 5 && IsValid($"{code[..3]}.{code[3..]}"))
        {
            return $"{code} is not an ICD-10 code as written: put a dot after the third character, {code[..3]}.{code[3..]}.";
        }

        return $"{code} is not an ICD-10 code: ICD-10 codes are a letter, two digits and optionally a dot with one or two digits, e.g. M45 or M54.5.";
    }

    public static bool IsValid(string code) =>
        code.Length is 3 or 5 or 6
        && char.IsAsciiLetterUpper(code[0])
        && char.IsAsciiDigit(code[1])
        && char.IsAsciiDigit(code[2])
        && (code.Length == 3 || (code[3] == '.' && code[4..].All(char.IsAsciiDigit)));
}

/// <summary>The Verhoeff check digit (dihedral group D5), as SNOMED CT uses it for the last digit of an SCTID.</summary>
public static class Verhoeff
{
    // Multiplication in D5.
    private static readonly int[,] D =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 },
        { 1, 2, 3, 4, 0, 6, 7, 8, 9, 5 },
        { 2, 3, 4, 0, 1, 7, 8, 9, 5, 6 },
        { 3, 4, 0, 1, 2, 8, 9, 5, 6, 7 },
        { 4, 0, 1, 2, 3, 9, 5, 6, 7, 8 },
        { 5, 9, 8, 7, 6, 0, 4, 3, 2, 1 },
        { 6, 5, 9, 8, 7, 1, 0, 4, 3, 2 },
        { 7, 6, 5, 9, 8, 2, 1, 0, 4, 3 },
        { 8, 7, 6, 5, 9, 3, 2, 1, 0, 4 },
        { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 },
    };

    // Row i is the permutation (1 5 8 9 4 2 7 0)(3 6) applied i times.
    private static readonly int[,] P =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 },
        { 1, 5, 7, 6, 2, 8, 3, 0, 9, 4 },
        { 5, 8, 0, 3, 7, 9, 6, 1, 4, 2 },
        { 8, 9, 1, 6, 0, 4, 3, 5, 2, 7 },
        { 9, 4, 5, 3, 1, 2, 6, 8, 7, 0 },
        { 4, 2, 8, 6, 5, 7, 3, 9, 0, 1 },
        { 2, 7, 9, 3, 8, 0, 6, 4, 1, 5 },
        { 7, 0, 4, 6, 9, 1, 3, 2, 5, 8 },
    };

    private static readonly int[] Inverse = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

    /// <summary>Whether the last digit of <paramref name="digits"/> is the Verhoeff check digit of the digits before it.</summary>
    public static bool IsValid(string digits) => digits.Length > 0 && digits.All(char.IsAsciiDigit) && Checksum(digits, 0) == 0;

    /// <summary>The check digit to append to <paramref name="digits"/>.</summary>
    public static char CheckDigit(string digits)
    {
        if (!digits.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("Only digits have a Verhoeff check digit.", nameof(digits));
        }

        return (char)('0' + Inverse[Checksum(digits, 1)]);
    }

    // Digits from the right; the first one gets permutation power 'offset' (0 when the check digit is included).
    private static int Checksum(string digits, int offset)
    {
        var c = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            c = D[c, P[(i + offset) % 8, digits[digits.Length - 1 - i] - '0']];
        }

        return c;
    }
}
