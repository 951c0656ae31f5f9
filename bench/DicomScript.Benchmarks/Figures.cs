namespace DicomScript.Benchmarks;

/// <summary>How the benchmarks summarise repeated runs.</summary>
internal static class Figures
{
    /// <summary>The median (the upper one of an even count): single runs on this 2-core machine vary by up to 2×.</summary>
    public static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
