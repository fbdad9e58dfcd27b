using CloudPipeline.Core.Formats.Eis;
using CloudPipeline.Testing;

namespace CloudPipeline.Core.Tests.Eis;

/// <summary>Reads impedance files from ../shared/data/real for the EIS tests.</summary>
internal static class RealSpectra
{
    /// <summary>The spectrum of a file given by its path under the real-data folder, e.g. "eclab/peis.mpt".</summary>
    public static Spectrum Read(string relative)
    {
        string path = SharedData.RealFile(relative.Split('/'));
        return EisFormats.Read(Path.GetFileName(path), File.ReadAllBytes(path));
    }
}
