using System.Globalization;

namespace DicomScript.Dicom.Values;

/// <summary>
/// Parsing and formatting of DA (YYYYMMDD), TM (HHMMSS.FFFFFF, trailing parts optional) and DT
/// (YYYYMMDDHHMMSS.FFFFFF&amp;ZZXX, trailing parts optional) values, leniently: the pre-1993 forms
/// with separators ("2004.01.19", "07:27:30") that old modalities still send are accepted too.
/// </summary>
public static class DicomDateTime
{
    /// <summary>Parses a DA value; false when it is not a date.</summary>
    public static bool TryParseDate(string? text, out DateOnly date)
    {
        date = default;
        var digits = Digits(text, ['.', '-', '/']);
        return digits.Length == 8
               && DateOnly.TryParseExact(digits, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    /// <summary>Parses a TM value (HH, HHMM, HHMMSS, HHMMSS.F to .FFFFFF); false when it is not a time.</summary>
    public static bool TryParseTime(string? text, out TimeOnly time)
    {
        time = default;
        if (text is null)
            return false;
        text = text.Trim(' ').Replace(":", "", StringComparison.Ordinal);
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var main = dot >= 0 ? text[..dot] : text;
        var fraction = dot >= 0 ? text[(dot + 1)..] : "";
        if (main.Length is not (2 or 4 or 6) || !main.All(char.IsAsciiDigit) || fraction.Length > 6 || !fraction.All(char.IsAsciiDigit))
            return false;
        var hour = int.Parse(main[..2], CultureInfo.InvariantCulture);
        var minute = main.Length >= 4 ? int.Parse(main[2..4], CultureInfo.InvariantCulture) : 0;
        var second = main.Length >= 6 ? int.Parse(main[4..6], CultureInfo.InvariantCulture) : 0;
        if (hour > 23 || minute > 59 || second > 60)
            return false;
        var microseconds = fraction.Length == 0 ? 0 : int.Parse(fraction.PadRight(6, '0'), CultureInfo.InvariantCulture);
        // A leap second (60) is folded into the last representable instant of the minute.
        time = second == 60
            ? new TimeOnly(hour, minute, 59, 999, 999)
            : new TimeOnly(hour, minute, second).Add(TimeSpan.FromTicks(microseconds * 10L));
        return true;
    }

    /// <summary>Parses a DT value; the offset is that of the value, or null when it gives none.</summary>
    public static bool TryParseDateTime(string? text, out DateTime dateTime, out TimeSpan? offset)
    {
        dateTime = default;
        offset = null;
        if (text is null)
            return false;
        text = text.Trim(' ');
        var signAt = text.IndexOfAny(['+', '-'], Math.Min(4, text.Length));
        var main = signAt >= 0 ? text[..signAt] : text;
        if (signAt >= 0)
        {
            var zone = text[signAt..];
            if (zone.Length != 5 || !zone[1..].All(char.IsAsciiDigit))
                return false;
            var minutes = int.Parse(zone[1..3], CultureInfo.InvariantCulture) * 60 + int.Parse(zone[3..], CultureInfo.InvariantCulture);
            offset = TimeSpan.FromMinutes(zone[0] == '-' ? -minutes : minutes);
        }

        var dot = main.IndexOf('.', StringComparison.Ordinal);
        var digits = dot >= 0 ? main[..dot] : main;
        if (digits.Length < 4 || digits.Length > 14 || digits.Length % 2 != 0 || !digits.All(char.IsAsciiDigit))
            return false;
        var padded = digits + "0101000000"[(digits.Length - 4)..];
        if (!DateOnly.TryParseExact(padded[..8], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            || !TryParseTime(padded[8..] + (dot >= 0 ? main[dot..] : ""), out var time))
            return false;
        dateTime = date.ToDateTime(time);
        return true;
    }

    public static string FormatDate(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string FormatTime(TimeOnly time, bool withFraction = false) =>
        time.ToString(withFraction ? "HHmmss.ffffff" : "HHmmss", CultureInfo.InvariantCulture);

    public static string FormatDateTime(DateTime dateTime, bool withFraction = false) =>
        dateTime.ToString(withFraction ? "yyyyMMddHHmmss.ffffff" : "yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    private static string Digits(string? text, char[] separators) =>
        text is null ? "" : string.Concat(text.Trim(' ').Where(c => Array.IndexOf(separators, c) < 0));
}
