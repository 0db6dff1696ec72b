using ScottPlot;

namespace Marketplace.LoadDriver;

/// <summary>The throughput–latency curve: offered rate against achieved rate (left axis) and end-to-end p99 (right axis).</summary>
public static class Curve
{
    public static void Draw(LoadReport report, string path)
    {
        var plot = new Plot();
        double[] offered = [.. report.Stages.Select(s => (double)s.OfferedRate)];
        var achieved = plot.Add.Scatter(offered, [.. report.Stages.Select(s => s.AchievedRate)]);
        achieved.LegendText = "completed trades/s";
        var ideal = plot.Add.Scatter(offered, offered);
        ideal.LegendText = "offered";
        ideal.LinePattern = LinePattern.Dashed;
        var p99 = plot.Add.Scatter(offered, [.. report.Stages.Select(s => s.EndToEnd.P99)]);
        p99.LegendText = "end-to-end p99 (ms)";
        p99.Axes.YAxis = plot.Axes.Right;
        plot.Axes.Bottom.Label.Text = "offered trades/s";
        plot.Axes.Left.Label.Text = "trades/s";
        plot.Axes.Right.Label.Text = "p99 ms";
        plot.Title($"Trade throughput and latency — {report.Options.Url.Authority}");
        plot.ShowLegend();
        plot.SavePng(path, 900, 540);
    }
}
