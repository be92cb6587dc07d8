using System.Globalization;

namespace Harness.Reports;

/// <summary>How numbers read in every report: tables, charts and pages format them alike.</summary>
public static class ReportFormat
{
    /// <summary>A frequency as a percentage, two decimals or three significant digits: 11.99%, 0.5%, 0.0617%, 0.0001%.</summary>
    public static string Percent(double fraction)
    {
        if (fraction <= 0) return "0%";
        var percent = fraction * 100;
        var decimals = Math.Clamp(2 - (int)Math.Floor(Math.Log10(percent)), 2, 12);
        return percent.ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture) + "%";
    }
}
