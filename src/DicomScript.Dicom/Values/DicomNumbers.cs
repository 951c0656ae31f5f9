using System.Globalization;

namespace DicomScript.Dicom.Values;

/// <summary>IS and DS values: decimal strings, parsed leniently (surrounding spaces, a leading '+').</summary>
public static class DicomNumbers
{
    /// <summary>Parses one IS value (a signed integer within ±2^31; larger values of newer files are accepted as long).</summary>
    public static bool TryParseIntegerString(string? text, out long value) =>
        long.TryParse(text?.Trim(' '), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>Parses one DS value (fixed or exponent notation).</summary>
    public static bool TryParseDecimalString(string? text, out double value) =>
        double.TryParse(text?.Trim(' '), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>Formats a double as a DS value: at most 16 characters, as PS3.5 allows.</summary>
    public static string FormatDecimalString(double value)
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(nameof(value), "DS cannot hold NaN or infinity");
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        for (var digits = 15; text.Length > 16 && digits > 0; digits--)
            text = value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return text;
    }
}
