using System.CommandLine;
using System.Globalization;
using System.Text;

namespace CloudPipeline.Cli.Commands;

/// <summary>
/// <c>cloudpipeline simulate</c>: writes synthetic instrument files of the supported formats for demos and load
/// tests: an operando MRI experiment (TopSpin 1D profile exports whose bulk salt depletes at the plating side
/// over time, a Zahner-style polarisation record with a CC then CV step, and experiment.json).
/// </summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write into (one sub-folder per experiment).", Required = true };
        var experiments = new Option<int>("--experiments") { Description = "How many experiments (default 1).", DefaultValueFactory = _ => 1 };
        var profiles = new Option<int>("--profiles") { Description = "Profiles per experiment (default 12; at least 4).", DefaultValueFactory = _ => 12 };
        var seed = new Option<int>("--seed") { Description = "Random seed for the noise (default 1).", DefaultValueFactory = _ => 1 };
        var command = new Command("simulate", "Write synthetic instrument files (MRI profiles, polarisation record, manifest) for demos and load tests.")
        {
            output, experiments, profiles, seed,
        };
        command.SetAction(parse =>
        {
            int n = parse.GetValue(profiles);
            if (n < 4)
            {
                Console.Error.WriteLine("error: --profiles must be at least 4 (a cubic time fit needs 4).");
                return 2;
            }
            var root = parse.GetValue(output)!;
            for (int e = 0; e < parse.GetValue(experiments); e++)
            {
                var dir = Directory.CreateDirectory(Path.Combine(root.FullName, $"sim-{e + 1:D4}"));
                WriteMriExperiment(dir.FullName, n, parse.GetValue(seed) + e);
            }
            Console.WriteLine($"Wrote {parse.GetValue(experiments)} synthetic MRI experiment(s) with {n} profiles each to {root.FullName}");
            return 0;
        });
        return command;
    }

    internal static void WriteMriExperiment(string folder, int profileCount, int seed)
    {
        var random = new Random(seed);
        const int size = 256;
        for (int k = 0; k < profileCount; k++)
        {
            var sb = new StringBuilder();
            sb.Append("# File created = synthetic (cloudpipeline simulate)\n");
            sb.Append(CultureInfo.InvariantCulture, $"# Data set = SIM_MRI  {k + 5}  1  simulate\n");
            sb.Append("# Spectral Region:\n# LEFT = 190.0 ppm. RIGHT = -340.0 ppm.\n#\n");
            sb.Append(CultureInfo.InvariantCulture, $"# SIZE = {size} ( = number of points)\n#\n#\n#\n#\n");
            for (int j = 0; j < size; j++)
            {
                double value = 0;
                if (j >= 60 && j <= 195)
                {
                    double tilt = 0.002 * k * (j - 127.5) / 67.5; // depletion at the plating side (x1 = 0) grows with time
                    value = 1000 * (1 + tilt) + random.NextDouble() * 2;
                }
                else if (j >= 50 && j < 60)
                {
                    value = 100 * (j - 50);
                }
                else if (j > 195 && j <= 205)
                {
                    value = 900 - 100 * (j - 196);
                }
                sb.Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            }
            File.WriteAllText(Path.Combine(folder, $"SIM_MRI({k + 5:D3}).txt"), sb.ToString());
        }

        // 22 samples per 513 s profile window; CC for the first third, then a 1.5 V CV hold with a decaying current.
        int rows = profileCount * 22 + 1;
        int ccRows = rows / 3;
        var pol = new StringBuilder();
        for (int i = 0; i < rows; i++)
        {
            double hours = 2.5 + i * 20.196 / 3600;
            double volts = i < ccRows ? 0.2 + 1.2 * i / ccRows : 1.5;
            double current = i < ccRows ? 0.1 : 0.09 * Math.Exp(-(i - ccRows) / 200.0) + 0.01;
            pol.Append(CultureInfo.InvariantCulture, $"{hours:F5}\t{volts:F5}\t{current:F5}");
            if (i < rows - 1)
            {
                pol.Append("\r\n");
            }
        }
        File.WriteAllText(Path.Combine(folder, "POL.txt"), pol.ToString());
        File.WriteAllText(Path.Combine(folder, "experiment.json"), """
            {
              "schemaVersion": 1,
              "description": "synthetic operando 19F MRI experiment written by cloudpipeline simulate",
              "cellId": "SIM",
              "cellType": "symmetric",
              "electrodeAreaCm2": 0.2827433,
              "mriDrift": { "flipProfile": false },
              "electrochemistry": { "cvSetpointV": 1.5 }
            }
            """);
    }
}
