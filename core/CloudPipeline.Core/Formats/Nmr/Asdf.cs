using System.Globalization;

namespace CloudPipeline.Core.Formats.Nmr;

/// <summary>
/// Decodes the ASCII squeezed difference form of JCAMP-DX tables (spec §1.4): AFFN, PAC, SQZ, DIF and DUP tokens in
/// any mix, with the Y-check of DIF lines and the X-check of each line's abscissa.
/// </summary>
public sealed class AsdfDecoder
{
    private readonly string _source;
    private readonly bool _strict;
    private readonly List<double> _values = [];
    private readonly List<string> _warnings = [];
    private bool _pendingCheck;
    private double _last = double.NaN;
    private double _lastDelta;
    private bool _lastWasDif;

    /// <summary>Creates a decoder for one table of <paramref name="source"/>.</summary>
    /// <param name="source">The file, for messages.</param>
    /// <param name="strict">A failed Y-check throws (default) instead of warning.</param>
    public AsdfDecoder(string source, bool strict = true)
    {
        _source = source;
        _strict = strict;
    }

    /// <summary>The decoded ordinates so far.</summary>
    public List<double> Values => _values;

    /// <summary>Y-checks passed.</summary>
    public int YChecks { get; private set; }

    /// <summary>Lines whose abscissa disagreed with the point count (X-check warnings).</summary>
    public int XCheckMismatches { get; private set; }

    /// <summary>Warnings (X-check mismatches, and Y-check failures when not strict).</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>
    /// Decodes one data line <c>X y y y…</c>. <paramref name="expectedX"/> maps a point index to the abscissa the line's
    /// X should equal (already divided by XFACTOR), with the tolerance; null skips the X-check.
    /// </summary>
    /// <exception cref="InstrumentFileException">A character that is no ASDF token, or a failed Y-check in strict mode.</exception>
    public void DecodeLine(string line, int lineNumber, Func<int, (double X, double Tolerance)>? expectedX = null)
    {
        var tokens = Tokenise(line, lineNumber);
        if (tokens.Count == 0)
        {
            return;
        }
        if (tokens[0].Kind != TokenKind.Affn)
        {
            throw new InstrumentFileException(_source, $"the line starts with '{tokens[0].Raw}' instead of its abscissa", lineNumber, "X", "a plain number (AFFN) before the ordinates", "BAD_ASDF");
        }
        double x = ParseNumber(tokens[0].Text, lineNumber);
        int firstIndex = _values.Count;
        bool checkOnThisLine = _pendingCheck && tokens.Count > 1;
        if (checkOnThisLine)
        {
            firstIndex--; // the line's X refers to the repeated check value
        }
        if (expectedX is not null && firstIndex >= 0)
        {
            var (ex, tol) = expectedX(firstIndex);
            if (Math.Abs(x - ex) > tol)
            {
                XCheckMismatches++;
                _warnings.Add($"line {lineNumber}: X = {x.ToString(CultureInfo.InvariantCulture)} but point {firstIndex} is at {ex.ToString("G8", CultureInfo.InvariantCulture)}");
            }
        }
        bool endsWithDif = false;
        for (int t = 1; t < tokens.Count; t++)
        {
            var token = tokens[t];
            if (t == 1 && checkOnThisLine)
            {
                if (token.Kind is not (TokenKind.Affn or TokenKind.Sqz))
                {
                    throw new InstrumentFileException(_source, $"the Y-check value '{token.Raw}' is not an absolute value", lineNumber, "Y-check", "the previous line's last ordinate repeated (SQZ or AFFN)", "YCHECK_FAILED");
                }
                double check = ParseNumber(token.Text, lineNumber);
                if (check != _last)
                {
                    string message = $"Y-check failed: the line repeats {check.ToString(CultureInfo.InvariantCulture)} but the previous line ended at {_last.ToString(CultureInfo.InvariantCulture)}";
                    if (_strict)
                    {
                        throw new InstrumentFileException(_source, message, lineNumber, "Y-check", "the previous line's last value", "YCHECK_FAILED");
                    }
                    _warnings.Add($"line {lineNumber}: {message}");
                    _last = check;
                }
                YChecks++;
                _lastWasDif = false;
                continue;
            }
            switch (token.Kind)
            {
                case TokenKind.Affn:
                case TokenKind.Sqz:
                    Add(ParseNumber(token.Text, lineNumber));
                    _lastWasDif = false;
                    endsWithDif = false;
                    break;
                case TokenKind.Missing:
                    Add(double.NaN);
                    _lastWasDif = false;
                    endsWithDif = false;
                    break;
                case TokenKind.Dif:
                    if (double.IsNaN(_last))
                    {
                        throw new InstrumentFileException(_source, $"the difference '{token.Raw}' has no value before it", lineNumber, "Y", "an absolute value before the first DIF token", "BAD_ASDF");
                    }
                    _lastDelta = ParseNumber(token.Text, lineNumber);
                    Add(_last + _lastDelta);
                    _lastWasDif = true;
                    endsWithDif = true;
                    break;
                case TokenKind.Dup:
                    int count = (int)ParseNumber(token.Text, lineNumber);
                    if (_values.Count == 0 || count < 1)
                    {
                        throw new InstrumentFileException(_source, $"the repeat '{token.Raw}' has nothing to repeat", lineNumber, "Y", "a value before a DUP token", "BAD_ASDF");
                    }
                    for (int r = 1; r < count; r++)
                    {
                        Add(_lastWasDif ? _last + _lastDelta : _last);
                    }
                    break;
            }
        }
        // A line ending in DIF (optionally followed by DUP) announces a Y-check at the start of the next line.
        _pendingCheck = endsWithDif;
    }

    private void Add(double value)
    {
        _values.Add(value);
        _last = value;
    }

    private double ParseNumber(string text, int lineNumber)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
        {
            return v;
        }
        throw new InstrumentFileException(_source, $"'{text}' is not a number", lineNumber, "Y", "an ASDF value", "BAD_ASDF");
    }

    private enum TokenKind
    {
        Affn,
        Sqz,
        Dif,
        Dup,
        Missing,
    }

    /// <summary>A token: its kind, its value as a plain number text, and the characters as written (for messages).</summary>
    private readonly record struct Token(TokenKind Kind, string Text, string Raw);

    private List<Token> Tokenise(string line, int lineNumber)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < line.Length)
        {
            char c = line[i];
            if (c is ' ' or '\t' or ',' or ';')
            {
                i++;
                continue;
            }
            if (c == '?')
            {
                tokens.Add(new Token(TokenKind.Missing, "?", "?"));
                i++;
                continue;
            }
            TokenKind kind;
            string prefix;
            if (c is '+' or '-' || char.IsAsciiDigit(c) || c == '.')
            {
                kind = TokenKind.Affn;
                prefix = c == '+' ? "" : c.ToString();
            }
            else if (c == '@' || c is >= 'A' and <= 'I' || c is >= 'a' and <= 'i')
            {
                kind = TokenKind.Sqz;
                prefix = c == '@' ? "0" : c <= 'I' ? ((char)('1' + c - 'A')).ToString() : "-" + (char)('1' + c - 'a');
            }
            else if (c == '%' || c is >= 'J' and <= 'R' || c is >= 'j' and <= 'r')
            {
                kind = TokenKind.Dif;
                prefix = c == '%' ? "0" : c <= 'R' ? ((char)('1' + c - 'J')).ToString() : "-" + (char)('1' + c - 'j');
            }
            else if (c is >= 'S' and <= 'Z' || c == 's')
            {
                kind = TokenKind.Dup;
                prefix = c == 's' ? "9" : ((char)('1' + c - 'S')).ToString();
            }
            else
            {
                throw new InstrumentFileException(_source, $"'{c}' at column {i + 1} is not an ASDF character", lineNumber, "Y", "digits, + - . E, @A–I a–i (SQZ), %J–R j–r (DIF), S–Z s (DUP) or ?", "BAD_ASDF");
            }
            int first = i;
            i++;
            int start = i;
            bool affnSigned = kind == TokenKind.Affn && c is '+' or '-';
            if (kind == TokenKind.Affn && !affnSigned)
            {
                start = i - 1;
                prefix = "";
            }
            while (i < line.Length)
            {
                char d = line[i];
                if (char.IsAsciiDigit(d) || d == '.')
                {
                    i++;
                }
                else if (kind == TokenKind.Affn && d is 'E' or 'e' && i + 1 < line.Length && line[i + 1] is '+' or '-' && i > start)
                {
                    i += 2; // exponent: E only counts as one when a sign follows
                }
                else
                {
                    break;
                }
            }
            tokens.Add(new Token(kind, prefix + line[start..i], line[first..i]));
        }
        return tokens;
    }
}
