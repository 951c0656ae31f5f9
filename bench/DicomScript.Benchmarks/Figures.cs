namespace DicomScript.Benchmarks;

/// <summary>How the benchmarks summarise repeated runs.</summary>
internal static class Figures
{
    /// <summary>The median (of an even count, the mean of the middle two): single runs on this 2-core machine vary by up to 2×.</summary>
    public static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }
}
