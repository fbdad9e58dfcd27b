namespace CloudPipeline.Core.Formats.BioLogic;

/// <summary>How a value of an <c>.mpr</c> column is stored in a data record (little-endian).</summary>
internal enum MprKind
{
    /// <summary>IEEE 754 single.</summary>
    F4,

    /// <summary>IEEE 754 double.</summary>
    F8,

    /// <summary>Unsigned byte.</summary>
    U1,

    /// <summary>Unsigned 16-bit integer.</summary>
    U2,

    /// <summary>Unsigned 32-bit integer.</summary>
    U4,
}

/// <summary>Where the reader's knowledge of a column id comes from, strongest first.</summary>
internal enum MprSource
{
    /// <summary>Read from the real files in <c>../shared/data/real/eclab</c>: the values equal their text exports and the record size adds up.</summary>
    Verified,

    /// <summary>The column tables of the open EC-Lab file readers (yadg, galvani), which read real files of other EC-Lab versions.</summary>
    FileReaders,

    /// <summary>The column list of EC-Lab's automation (OLE COM) interface, as galvani's full table carries it: the names are EC-Lab's, the storage type in a file is a best guess, so the reader checks it against the module length.</summary>
    AutomationList,
}

/// <summary>One column id of the <c>VMP data</c> module.</summary>
/// <param name="Name">The name the text export uses for it.</param>
/// <param name="Kind">How it is stored.</param>
/// <param name="Source">Where that knowledge comes from.</param>
internal readonly record struct MprColumn(string Name, MprKind Kind, MprSource Source);

/// <summary>
/// The column ids of EC-Lab's <c>.mpr</c> data module: flag ids that share one byte, and value ids with their
/// text-export name and storage type. Where sources disagree, the stronger one (<see cref="MprSource"/>) wins.
/// </summary>
internal static class MprColumns
{
    /// <summary>Flag column id → (name, bit mask) in the shared flags byte.</summary>
    public static IReadOnlyDictionary<int, (string Name, byte Mask)> Flags { get; } = new Dictionary<int, (string, byte)>
    {
        [1] = ("mode", 0x03), [2] = ("ox/red", 0x04), [3] = ("error", 0x08), [21] = ("control changes", 0x10), [31] = ("Ns changes", 0x20), [65] = ("counter inc.", 0x80),
    };

    /// <summary>Value column id → column.</summary>
    public static IReadOnlyDictionary<int, MprColumn> Values { get; } = Build();

    private static Dictionary<int, MprColumn> Build()
    {
        var table = new Dictionary<int, MprColumn>();
        void Add(MprSource source, int id, string name, MprKind kind) => table.TryAdd(id, new MprColumn(name, kind, source));

        // Verified on the real files: every record size adds up and the values equal the paired .mpt exports.
        foreach (var (id, name, kind) in new (int, string, MprKind)[]
        {
            (4, "time/s", MprKind.F8), (5, "control/V/mA", MprKind.F4), (6, "Ewe/V", MprKind.F4), (7, "dq/mA.h", MprKind.F8), (8, "I/mA", MprKind.F4),
            (9, "Ece/V", MprKind.F4), (11, "<I>/mA", MprKind.F8), (13, "(Q-Qo)/mA.h", MprKind.F8), (16, "Analog IN 1/V", MprKind.F4), (17, "Analog IN 2/V", MprKind.F4),
            (19, "control/V", MprKind.F4), (20, "control/mA", MprKind.F4), (24, "cycle number", MprKind.F8), (32, "freq/Hz", MprKind.F4), (33, "|Ewe|/V", MprKind.F4),
            (34, "|I|/A", MprKind.F4), (35, "Phase(Z)/deg", MprKind.F4), (36, "|Z|/Ohm", MprKind.F4), (37, "Re(Z)/Ohm", MprKind.F4), (38, "-Im(Z)/Ohm", MprKind.F4),
            (39, "I Range", MprKind.U2), (70, "P/W", MprKind.F4), (74, "|Energy|/W.h", MprKind.F8), (76, "<I>/mA", MprKind.F4), (77, "<Ewe>/V", MprKind.F4),
            (96, "|Ece|/V", MprKind.F4), (98, "Phase(Zce)/deg", MprKind.F4), (99, "|Zce|/Ohm", MprKind.F4), (100, "Re(Zce)/Ohm", MprKind.F4), (101, "-Im(Zce)/Ohm", MprKind.F4),
            (123, "Energy charge/W.h", MprKind.F8), (124, "Energy discharge/W.h", MprKind.F8), (125, "Capacitance charge/µF", MprKind.F8), (126, "Capacitance discharge/µF", MprKind.F8),
            (131, "Ns", MprKind.U2), (169, "Cs/µF", MprKind.F4), (172, "Cp/µF", MprKind.F4), (174, "<Ewe>/V", MprKind.F4), (211, "Q charge/discharge/mA.h", MprKind.F8),
            (217, "THD Ewe/%", MprKind.F4), (326, "P/W", MprKind.F4), (430, "Phase(Zwe-ce)/deg", MprKind.F4), (431, "|Zwe-ce|/Ohm", MprKind.F4), (432, "Re(Zwe-ce)/Ohm", MprKind.F4),
            (433, "-Im(Zwe-ce)/Ohm", MprKind.F4), (434, "(Q-Qo)/C", MprKind.F4), (435, "dQ/C", MprKind.F4), (441, "<Ece>/V", MprKind.F4), (467, "Q charge/discharge/mA.h", MprKind.F8),
            (468, "half cycle", MprKind.U4), (471, "<Ece>/V", MprKind.F4), (473, "THD Ewe/%", MprKind.F4), (474, "THD I/%", MprKind.F4), (476, "NSD Ewe/%", MprKind.F4),
            (477, "NSD I/%", MprKind.F4), (479, "NSR Ewe/%", MprKind.F4), (480, "NSR I/%", MprKind.F4),
        })
        {
            Add(MprSource.Verified, id, name, kind);
        }
        for (int h = 2; h <= 7; h++)
        {
            Add(MprSource.Verified, 484 + h, $"|Ewe h{h}|/V", MprKind.F4);
            Add(MprSource.Verified, 490 + h, $"|I h{h}|/A", MprKind.F4);
        }

        // The open readers' tables (files of other EC-Lab versions and devices).
        foreach (var (id, name, kind) in new (int, string, MprKind)[]
        {
            (23, "dQ/mA.h", MprKind.F8), (26, "Rapp/Ohm", MprKind.F4), (27, "Ewe-Ece/V", MprKind.F4), (69, "R/Ohm", MprKind.F4), (75, "Analog OUT/V", MprKind.F4),
            (78, "Cs-2/µF-2", MprKind.F4), (163, "|Estack|/V", MprKind.F4), (168, "Rcmp/Ohm", MprKind.F4), (173, "Cp-2/µF-2", MprKind.F4), (178, "(Q-Qo)/C", MprKind.F4),
            (179, "dQ/C", MprKind.F4), (182, "step time/s", MprKind.F8), (241, "|E1|/V", MprKind.F4), (242, "|E2|/V", MprKind.F4), (271, "Phase(Z1)/deg", MprKind.F4),
            (272, "Phase(Z2)/deg", MprKind.F4), (295, "I Range", MprKind.U2), (301, "|Z1|/Ohm", MprKind.F4), (302, "|Z2|/Ohm", MprKind.F4), (331, "Re(Z1)/Ohm", MprKind.F4),
            (332, "Re(Z2)/Ohm", MprKind.F4), (361, "-Im(Z1)/Ohm", MprKind.F4), (362, "-Im(Z2)/Ohm", MprKind.F4), (379, "Energy charge/W.h", MprKind.F8), (391, "<E1>/V", MprKind.F4),
            (392, "<E2>/V", MprKind.F4), (422, "Phase(Zstack)/deg", MprKind.F4), (423, "|Zstack|/Ohm", MprKind.F4), (424, "Re(Zstack)/Ohm", MprKind.F4),
            (425, "-Im(Zstack)/Ohm", MprKind.F4), (426, "<Estack>/V", MprKind.F4), (462, "Temperature/°C", MprKind.F4), (469, "z cycle", MprKind.U4),
            (475, "THD Ece/%", MprKind.F4), (478, "NSD Ece/%", MprKind.F4), (481, "NSR Ece/%", MprKind.F4),
        })
        {
            Add(MprSource.FileReaders, id, name, kind);
        }
        for (int h = 2; h <= 7; h++)
        {
            Add(MprSource.FileReaders, 496 + h, $"|Ece h{h}|/V", MprKind.F4);
        }

        // EC-Lab's automation column list: the remaining ids up to 543.
        foreach (var (id, name, kind) in new (int, string, MprKind)[]
        {
            (10, "Aux/V", MprKind.F4), (12, "log(|<I>/A|)", MprKind.F4), (14, "x", MprKind.F4), (18, "Analog IN 3/V", MprKind.F4), (22, "log(|I/A|)", MprKind.F4),
            (25, "DQ/mA.h", MprKind.F8), (28, "control/°C", MprKind.F4), (29, "T/°C", MprKind.F4), (30, "rotation rate/rpm", MprKind.F4),
            (40, "Q charge/mA.h", MprKind.F8), (41, "Q discharge/mA.h", MprKind.F8), (42, "Q charge/mA.h/g", MprKind.F8), (43, "Q discharge/mA.h/g", MprKind.F8),
            (44, "Q anodic/C", MprKind.F8), (45, "Q cathodic/C", MprKind.F8), (46, "Q anodic/C/cm²", MprKind.F8), (47, "Q cathodic/C/cm²", MprKind.F8),
            (48, "Tech Num", MprKind.U4), (49, "End buf", MprKind.U4), (50, "E0/V", MprKind.F4), (51, "Ian min/mA", MprKind.F4), (52, "Ian max/mA", MprKind.F4),
            (53, "Ica min/mA", MprKind.F4), (54, "Ica max/mA", MprKind.F4), (55, "Ean end/V", MprKind.F4), (56, "Eca end/V", MprKind.F4), (57, "Ece min/V", MprKind.F4),
            (58, "Ece max/V", MprKind.F4), (59, "Analog IN 1 min/V", MprKind.F4), (60, "Analog IN 1 max/V", MprKind.F4), (61, "Analog IN 2 min/V", MprKind.F4),
            (62, "Analog IN 2 max/V", MprKind.F4), (63, "Analog IN 3 min/V", MprKind.F4), (64, "Analog IN 3 max/V", MprKind.F4), (66, "I forward/mA", MprKind.F4),
            (67, "I reverse/mA", MprKind.F4), (68, "I delta/µA", MprKind.F4), (71, "control/°C", MprKind.F4), (72, "T/°C", MprKind.F4), (73, "rotation rate/rpm", MprKind.F4),
            (79, "E step/V", MprKind.F4), (80, "Rp/Ohm", MprKind.F4), (81, "Ecorr/V", MprKind.F4), (82, "Icorr/mA", MprKind.F4), (83, "I/A/cm2", MprKind.F4),
            (84, "Q/C/cm2", MprKind.F4), (85, "Aux", MprKind.F4), (97, "|Ice|/A", MprKind.F4), (102, "Cce-2/µF-2", MprKind.F4), (103, "Estack/V", MprKind.F4),
            (104, "Istack/A", MprKind.F4), (105, "|E21|/V", MprKind.F4), (106, "Phase(Z21)/deg", MprKind.F4), (107, "|E32|/V", MprKind.F4), (108, "Phase(Z32)/deg", MprKind.F4),
            (109, "|Z21|/Ohm", MprKind.F4), (110, "Re(Z21)/Ohm", MprKind.F4), (111, "-Im(Z21)/Ohm", MprKind.F4), (112, "C21-2/µF-2", MprKind.F4), (113, "|Z32|/Ohm", MprKind.F4),
            (114, "Re(Z32)/Ohm", MprKind.F4), (115, "-Im(Z32)/Ohm", MprKind.F4), (116, "C32-2/µF-2", MprKind.F4), (117, "E21/V", MprKind.F4), (118, "E32/V", MprKind.F4),
            (119, "Re(Y)/Ohm-1", MprKind.F4), (120, "Im(Y)/Ohm-1", MprKind.F4), (121, "|Y|/Ohm-1", MprKind.F4), (122, "Phase(Y)/deg", MprKind.F4),
            (127, "Delta(Phase(Z))/%", MprKind.F4), (128, "Delta(|Z|)/%", MprKind.F4), (129, "Delta(Re(Z))/%", MprKind.F4), (130, "Delta(-Im(Z))/%", MprKind.F4),
            (132, "dI/dt/mA/s", MprKind.F4), (133, "Delta(mass)/g", MprKind.F4), (154, "Delta(Phase(Y))/%", MprKind.F4), (155, "Delta(|Y|)/%", MprKind.F4),
            (156, "Delta(Re(Y))/%", MprKind.F4), (157, "Delta(-Im(Y))/%", MprKind.F4), (158, "t low", MprKind.F4), (159, "t high", MprKind.F4), (160, "dt/dE/s/V", MprKind.F4),
            (161, "Delta(Phase(Z))/deg", MprKind.F4), (162, "Delta(Phase(Y))/deg", MprKind.F4), (164, "|Istack|/A", MprKind.F4), (167, "Phase(I)/rad", MprKind.F4),
            (170, "sin ampl/V", MprKind.F4), (171, "Conductivity/S.cm-1", MprKind.F4), (175, "Efficiency/%", MprKind.F8), (176, "Cycling rate charge", MprKind.F4),
            (177, "Cycling rate discharge", MprKind.F4), (180, "Fluorescence/%", MprKind.F4), (181, "Transmittance/%", MprKind.F4), (183, "ORD/mdeg", MprKind.F4),
            (184, "Aniso Vv/V", MprKind.F4), (185, "Aniso Vh/V", MprKind.F4), (186, "LD Vv/V", MprKind.F4), (187, "LD Vh/V", MprKind.F4), (188, "LD/deltaA", MprKind.F4),
            (189, "Anisotropy/Aniso", MprKind.F4), (190, "T peltier/°C", MprKind.F4), (191, "T cuvette/°C", MprKind.F4), (192, "Absorbance/AU", MprKind.F4),
            (193, "HV/V", MprKind.F4), (194, "Absorbance2/AU", MprKind.F4), (195, "Absorbance/V", MprKind.F4), (196, "If/mA", MprKind.F4), (197, "Ic/mA", MprKind.F4),
            (208, "shot number", MprKind.U4), (209, "pad number", MprKind.U4), (210, "electrode number", MprKind.U4), (421, "Phase2/deg", MprKind.F4),
            (427, "<Istack>/mA", MprKind.F4), (428, "Potential/V", MprKind.F4), (429, "Potential/V", MprKind.F4), (436, "Ece dc/V", MprKind.F4), (437, "cycle time/s", MprKind.F8),
            (438, "step time/s", MprKind.F8), (439, "charge time/s", MprKind.F8), (440, "discharge time/s", MprKind.F8), (442, "d(Q-Qo)/dE/mA.h/V", MprKind.F8),
            (443, "Capacity/mA.h", MprKind.F8), (444, "control disk/V", MprKind.F4), (445, "control disk/mA", MprKind.F4), (446, "Edisk/V", MprKind.F4),
            (447, "Ecedisk=Ecering/V", MprKind.F4), (448, "Idisk/mA", MprKind.F4), (449, "dQdisk/C", MprKind.F8), (450, "(Q-Qo)disk/C", MprKind.F8),
            (451, "cycle number", MprKind.U4), (452, "control ring/V", MprKind.F4), (453, "Ering/V", MprKind.F4), (454, "Iring/mA", MprKind.F4), (455, "(Q-Qo)ring/C", MprKind.F8),
            (456, "Pdisk/W", MprKind.F4), (457, "Pring/W", MprKind.F4), (458, "Edisk-Ece/V", MprKind.F4), (459, "Ering-Ece/V", MprKind.F4), (460, "<time>/s", MprKind.F8),
            (461, "<EweX>/V", MprKind.F4), (463, "Ramp upwards", MprKind.U1), (464, "Time/µs", MprKind.F4), (465, "I Range disk", MprKind.U2), (466, "I Range ring", MprKind.U2),
            (470, "It/mA", MprKind.F4), (472, "Vcorr/mm/yr", MprKind.F4), (482, "ShuntIsChanging", MprKind.U1), (483, "ModeIsChanging", MprKind.U1),
            (484, "NbIterInstr", MprKind.U4), (485, "Instr", MprKind.F4), (504, "Rac/Ohm", MprKind.F4), (505, "Rdc/Ohm", MprKind.F4), (506, "TCU control/°C", MprKind.F4),
            (507, "TCU meas./°C", MprKind.F4), (508, "Regulation", MprKind.U1), (509, "Acir/Dcir Control", MprKind.U1), (510, "LTime/s", MprKind.F8),
            (511, "Re(C)/nF", MprKind.F4), (512, "Im(C)/nF", MprKind.F4), (513, "|C|/nF", MprKind.F4), (514, "Phase(C)/deg", MprKind.F4), (515, "Re(M)", MprKind.F4),
            (516, "Im(M)", MprKind.F4), (517, "|M|", MprKind.F4), (518, "Phase(M)/deg", MprKind.F4), (519, "Re(Permittivity)", MprKind.F4), (520, "Im(Permittivity)", MprKind.F4),
            (521, "|Permittivity|", MprKind.F4), (522, "Phase(Permittivity)/deg", MprKind.F4), (523, "Re(Conductivity)/mS/cm", MprKind.F4),
            (524, "Im(Conductivity)/mS/cm", MprKind.F4), (525, "|Conductivity|/mS/cm", MprKind.F4), (526, "Phase(Conductivity)/deg", MprKind.F4),
            (527, "Re(Resistivity)/Ohm.cm", MprKind.F4), (528, "Im(Resistivity)/Ohm.cm", MprKind.F4), (529, "|Resistivity|/Ohm.cm", MprKind.F4),
            (530, "Phase(Resistivity)/deg", MprKind.F4), (531, "Tan(Delta)", MprKind.F4), (532, "Loss Angle(Delta)/deg", MprKind.F4), (533, "TCU base/°C", MprKind.F4),
            (534, "TCU cell/°C", MprKind.F4), (535, "TCU sample/°C", MprKind.F4), (536, "Ewe initial/V", MprKind.F4), (537, "Ewe final/V", MprKind.F4),
            (538, "I initial/mA", MprKind.F4), (539, "I final/mA", MprKind.F4), (540, "P min/W", MprKind.F4), (541, "P max/W", MprKind.F4), (542, "T min/°C", MprKind.F4),
            (543, "T max/°C", MprKind.F4),
        })
        {
            Add(MprSource.AutomationList, id, name, kind);
        }
        for (int i = 1; i <= 10; i++)
        {
            Add(MprSource.AutomationList, 85 + i, $"Unk{i}", MprKind.F4);
            Add(MprSource.AutomationList, 197 + i, $"C{(char)('A' + i - 1)}/mol.L-1", MprKind.F4); // CA … CJ concentrations
        }
        for (int i = 1; i <= 20; i++)
        {
            Add(MprSource.AutomationList, 133 + i, $"Custom{i:00}", MprKind.F4);
        }
        for (int n = 1; n <= 30; n++)
        {
            // Multi-electrode blocks of 30: E_n, |E_n|, Phase(Z_n), |Z_n|, Re(Z_n), −Im(Z_n), <E_n>.
            Add(MprSource.AutomationList, 210 + n, $"E{n}/V", MprKind.F4);
            Add(MprSource.AutomationList, 240 + n, $"|E{n}|/V", MprKind.F4);
            Add(MprSource.AutomationList, 270 + n, $"Phase(Z{n})/deg", MprKind.F4);
            Add(MprSource.AutomationList, 300 + n, $"|Z{n}|/Ohm", MprKind.F4);
            Add(MprSource.AutomationList, 330 + n, $"Re(Z{n})/Ohm", MprKind.F4);
            Add(MprSource.AutomationList, 360 + n, $"-Im(Z{n})/Ohm", MprKind.F4);
            Add(MprSource.AutomationList, 390 + n, $"<E{n}>/V", MprKind.F4);
        }
        return table;
    }

    /// <summary>Bytes a value of the kind takes in a record.</summary>
    public static int Width(MprKind kind) => kind switch { MprKind.F8 => 8, MprKind.U1 => 1, MprKind.U2 => 2, _ => 4 };
}
