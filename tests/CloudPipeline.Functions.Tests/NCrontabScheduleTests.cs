using CloudPipeline.Functions.Timers;
using Xunit;

namespace CloudPipeline.Functions.Tests;

public sealed class NCrontabScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 15, 30, TimeSpan.Zero);

    [Theory]
    [InlineData("* * * * * *", "2026-11-22T10:15:31Z")]
    [InlineData("*/2 * * * * *", "2026-11-22T10:15:32Z")]
    [InlineData("0 */5 * * * *", "2026-11-22T10:20:00Z")]
    [InlineData("0 30 2 * * *", "2026-11-23T02:30:00Z")]
    [InlineData("0 0 9 * * 1-5", "2026-11-23T09:00:00Z")]
    [InlineData("15,45 * * * * *", "2026-11-22T10:15:45Z")]
    [InlineData("0 0 0 1 1 *", "2027-01-01T00:00:00Z")]
    [InlineData("0 0 12 29 2 *", "2028-02-29T12:00:00Z")]
    public void Next_occurrence(string expression, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), NCrontabSchedule.Parse(expression).Next(Start));

    [Theory]
    [InlineData("* * * * *", "5 fields")]
    [InlineData("60 * * * * *", "second field '60' is outside 0-59")]
    [InlineData("* * 24 * * *", "hour field '24'")]
    [InlineData("*/0 * * * * *", "second step '0'")]
    [InlineData("* * * * * x", "'x' in the day-of-week field")]
    public void Invalid_expressions_say_which_field(string expression, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => NCrontabSchedule.Parse(expression));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
