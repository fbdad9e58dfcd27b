namespace CloudPipeline.Core.Formats;

/// <summary>
/// How a number is written: digits after the decimal point (or comma), and whether and with how many digits an
/// exponent follows. Vendors that end their files without a line break (EC-Lab) write every row's numbers in one
/// shape, so a last number of another shape than the row before's is a copy cut inside it.
/// </summary>
internal readonly record struct NumberShape(int Decimals, int ExponentDigits)
{
    /// <summary>The shape of <paramref name="text"/>.</summary>
    public static NumberShape Of(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        int e = text.IndexOfAny('E', 'e');
        // Stryker disable once Equality,Conditional : a number never starts with its exponent, and a vendor writes the exponent's sign every time.
        var mantissa = e < 0 ? text : text[..e];
        int point = mantissa.IndexOfAny('.', ',');
        int exponentDigits = -1;
        // Stryker disable once Equality : a number never starts with its exponent.
        if (e >= 0)
        {
            exponentDigits = 0;
            // Stryker disable once Arithmetic : the character before the exponent is a digit in every number of a column.
            foreach (char c in text[(e + 1)..])
            {
                // Stryker disable once Conditional : a vendor writes the exponent's sign every time, so counting it as a digit adds one to every exponent alike.
                exponentDigits += char.IsAsciiDigit(c) ? 1 : 0;
            }
        }
        return new NumberShape(point < 0 ? 0 : mantissa.Length - point - 1, exponentDigits);
    }
}
