using System.Globalization;

namespace CloudPipeline.Functions.Timers;

/// <summary>
/// A six-field NCRONTAB schedule as Azure Functions timer triggers use it:
/// <c>{second} {minute} {hour} {day} {month} {day-of-week}</c>, each field <c>*</c>, a number, a range
/// <c>a-b</c>, a list <c>a,b</c> or a step <c>*/n</c> / <c>a-b/n</c>; day-of-week 0–6 with 0 = Sunday.
/// Example: <c>0 30 2 * * *</c> runs daily at 02:30:00 UTC. Day and day-of-week must both match.
/// </summary>
public sealed class NCrontabSchedule
{
    private readonly bool[] _seconds, _minutes, _hours, _days, _months, _weekdays;

    private NCrontabSchedule(string expression, bool[][] fields)
    {
        Expression = expression;
        (_seconds, _minutes, _hours, _days, _months, _weekdays) = (fields[0], fields[1], fields[2], fields[3], fields[4], fields[5]);
    }

    /// <summary>The expression.</summary>
    public string Expression { get; }

    /// <summary>Parses an expression.</summary>
    /// <exception cref="FormatException">Not six fields, or a field out of range; the message names the field.</exception>
    public static NCrontabSchedule Parse(string expression)
    {
        var parts = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 6)
        {
            throw new FormatException($"NCRONTAB '{expression}' has {parts.Length} fields; expected 6: second minute hour day month day-of-week.");
        }
        (string Name, int Min, int Max)[] spec = [("second", 0, 59), ("minute", 0, 59), ("hour", 0, 23), ("day", 1, 31), ("month", 1, 12), ("day-of-week", 0, 6)];
        var fields = new bool[6][];
        for (int f = 0; f < 6; f++)
        {
            fields[f] = ParseField(parts[f], spec[f].Name, spec[f].Min, spec[f].Max, expression);
        }
        return new NCrontabSchedule(expression, fields);
    }

    private static bool[] ParseField(string text, string name, int min, int max, string expression)
    {
        var allowed = new bool[max + 1];
        foreach (var item in text.Split(','))
        {
            var stepParts = item.Split('/');
            int step = 1;
            if (stepParts.Length == 2 && (!int.TryParse(stepParts[1], NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1))
            {
                throw new FormatException($"NCRONTAB '{expression}': the {name} step '{stepParts[1]}' is not a positive number.");
            }
            int from, to;
            if (stepParts[0] == "*")
            {
                (from, to) = (min, max);
            }
            else
            {
                var range = stepParts[0].Split('-');
                from = Number(range[0]);
                to = range.Length == 2 ? Number(range[1]) : stepParts.Length == 2 ? max : from;
            }
            if (from < min || to > max || from > to)
            {
                throw new FormatException($"NCRONTAB '{expression}': the {name} field '{item}' is outside {min}-{max}.");
            }
            for (int v = from; v <= to; v += step)
            {
                allowed[v] = true;
            }
        }
        return allowed;

        int Number(string s) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            ? n
            : throw new FormatException($"NCRONTAB '{expression}': '{s}' in the {name} field is not a number.");
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/> (UTC, whole seconds).</summary>
    public DateTimeOffset Next(DateTimeOffset after)
    {
        var t = new DateTime(after.UtcDateTime.Ticks - after.UtcDateTime.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc).AddSeconds(1);
        var limit = t.AddYears(5);
        while (t < limit)
        {
            if (!_months[t.Month])
            {
                t = new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1);
                continue;
            }
            if (!_days[t.Day] || !_weekdays[(int)t.DayOfWeek])
            {
                t = t.Date.AddDays(1);
                continue;
            }
            if (!_hours[t.Hour])
            {
                t = t.Date.AddHours(t.Hour + 1);
                continue;
            }
            if (!_minutes[t.Minute])
            {
                t = t.Date.AddHours(t.Hour).AddMinutes(t.Minute + 1);
                continue;
            }
            if (!_seconds[t.Second])
            {
                t = t.AddSeconds(1);
                continue;
            }
            return new DateTimeOffset(t, TimeSpan.Zero);
        }
        throw new InvalidOperationException($"NCRONTAB '{Expression}' has no occurrence within five years.");
    }
}
