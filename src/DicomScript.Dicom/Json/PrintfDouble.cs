using System.Globalization;
using System.Text;

namespace DicomScript.Dicom.Json;

/// <summary>
/// Formats a double as C's <c>printf("%.17g")</c> does (glibc), the way Orthanc shows FL and FD
/// values. .NET's "G17" and "R" differ (upper-case E, exponent width, NaN/∞ spellings).
/// </summary>
public static class PrintfDouble
{
    private const int Precision = 17;

    public static string Format(double value)
    {
        if (double.IsNaN(value))
            return double.IsNegative(value) ? "-nan" : "nan";
        if (double.IsInfinity(value))
            return value < 0 ? "-inf" : "inf";
        if (value == 0)
            return double.IsNegative(value) ? "-0" : "0";

        // "E16": 17 significant digits, correctly rounded (exact since .NET Core 3.0).
        var scientific = value.ToString("E16", CultureInfo.InvariantCulture);
        var negative = scientific[0] == '-';
        var body = negative ? scientific[1..] : scientific;
        var ePosition = body.IndexOf('E', StringComparison.Ordinal);
        var digits = body[..ePosition].Replace(".", "", StringComparison.Ordinal);
        var exponent = int.Parse(body[(ePosition + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

        var sb = new StringBuilder(32);
        if (negative)
            sb.Append('-');
        if (exponent < -4 || exponent >= Precision)
        {
            var mantissa = digits.TrimEnd('0');
            sb.Append(mantissa[0]);
            if (mantissa.Length > 1)
                sb.Append('.').Append(mantissa, 1, mantissa.Length - 1);
            sb.Append('e').Append(exponent < 0 ? '-' : '+');
            sb.Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
            return sb.ToString();
        }

        string integerPart, fraction;
        if (exponent >= 0)
        {
            integerPart = digits[..(exponent + 1)];
            fraction = digits[(exponent + 1)..];
        }
        else
        {
            integerPart = "0";
            fraction = new string('0', -exponent - 1) + digits;
        }

        fraction = fraction.TrimEnd('0');
        sb.Append(integerPart);
        if (fraction.Length > 0)
            sb.Append('.').Append(fraction);
        return sb.ToString();
    }
}
