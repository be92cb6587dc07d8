using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Harness.Kernels;
using Harness.Mapping;

namespace Harness.Emitted;

/// <summary>A JIT listing and the instruction profile the JIT that printed it was using.</summary>
public sealed record ListingCapture(string Listing, string Profile);

/// <summary>A kernel to list: its IL and the type whose thread methods are compiled.</summary>
public sealed record ListingRequest(byte[] Image, string TypeName);

/// <summary>One kernel's listing, or why that kernel alone could not be listed.</summary>
public sealed record ListingOutcome(ListingCapture? Capture, string? Failure)
{
    public ListingCapture Value => Capture ?? throw new ListingUnavailableException(Failure ?? "no listing");
}

/// <summary>Why a listing could not be produced, said so that the user knows what to install or pass.</summary>
public sealed class ListingUnavailableException(string message) : Exception(message);

/// <summary>
/// Runs the JIT on kernels in a child process with DOTNET_JitDisasm and DOTNET_JitStdOutFile
/// set, and returns what it printed. The child is the harness itself (hidden command
/// <c>jit-listing --manifest FILE</c>): the host's, or an arm64 build under <c>qemu-aarch64-static</c>.
/// A child start costs seconds under qemu, so every kernel not yet in the listing cache goes to
/// one child per target, and its listing is cut into each kernel's.
/// </summary>
public static class JitListing
{
    public const string Qemu = "qemu-aarch64-static";
    public const string Arm64Sysroot = "/usr/aarch64-linux-gnu";

    /// <summary>What the child prints on its standard output: the profile its JIT compiles for.</summary>
    public const string ProfileLine = "profile: ";

    /// <summary>What the child prints for a kernel of the manifest it could not compile: this, its index, a space, why.</summary>
    public const string FailureLine = "failed: ";

    /// <summary>The child's line giving the cell arm64 code calls a method through, in hex, and the method's listing name.</summary>
    public const string EntryLine = "entry: ";

    /// <summary>How an entry line is kept in the listing: a comment the reader finds.</summary>
    public const string EntryComment = "; " + EntryLine;

    /// <summary>The linux-arm64 harness: <c>$HARNESS_ARM64_BUILD</c>, else artifacts/linux-arm64 above the working folder.</summary>
    public static string? FindArm64Build(string? explicitFolder)
    {
        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(explicitFolder)) candidates.Add(explicitFolder);
        else
        {
            if (Environment.GetEnvironmentVariable("HARNESS_ARM64_BUILD") is { Length: > 0 } fromEnvironment) candidates.Add(fromEnvironment);
            for (var folder = new DirectoryInfo(Environment.CurrentDirectory); folder is not null; folder = folder.Parent)
                candidates.Add(Path.Combine(folder.FullName, "artifacts", "linux-arm64"));
        }
        return candidates.Select(c => Path.Combine(c, "harness")).FirstOrDefault(File.Exists);
    }

    public static string? FindQemu() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(folder => Path.Combine(folder, Qemu)).FirstOrDefault(File.Exists);

    /// <summary>The listing of one kernel image, from the cache when the same JIT listed the same image under the same switches before.</summary>
    public static ListingCapture CaptureCached(ListingTarget target, byte[] image, string typeName, string? arm64Build, TimeSpan timeout,
        CancellationToken stop = default) =>
        CaptureMany(target, [new ListingRequest(image, typeName)], arm64Build, timeout, stop)[0].Value;

    /// <summary>
    /// The listings of many kernels on one target, in their order: the cached ones read back, the
    /// others listed by one child (more only when two kernels share a type name, which one listing
    /// could not tell apart). A kernel the child could not compile gets its own failure; a child
    /// that cannot start or run throws <see cref="ListingUnavailableException"/>; <paramref name="stop"/> kills
    /// the child and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public static IReadOnlyList<ListingOutcome> CaptureMany(ListingTarget target, IReadOnlyList<ListingRequest> kernels, string? arm64Build, TimeSpan timeout,
        CancellationToken stop = default)
    {
        var jit = JitIdentity(target, arm64Build);
        var folder = Path.Combine(KernelCompiler.CacheRoot, "listings");
        var cacheFiles = kernels.Select(k => Path.Combine(folder, CacheKey(jit, k) + ".txt")).ToArray();
        var outcomes = new ListingOutcome?[kernels.Count];
        for (var i = 0; i < kernels.Count; i++)
            if (ReadCached(cacheFiles[i]) is { } cached) outcomes[i] = new ListingOutcome(cached, null);

        // The same image twice is listed once; its twins copy the outcome afterwards.
        var firstWithFile = new Dictionary<string, int>(StringComparer.Ordinal);
        var toList = new List<int>();
        for (var i = 0; i < kernels.Count; i++)
            if (outcomes[i] is null && firstWithFile.TryAdd(cacheFiles[i], i)) toList.Add(i);

        foreach (var batch in BatchesOfDistinctTypes(toList, i => kernels[i].TypeName))
        {
            var listed = CaptureBatch(target, batch.Select(i => kernels[i]).ToList(), arm64Build, timeout, stop);
            for (var j = 0; j < batch.Count; j++)
            {
                outcomes[batch[j]] = listed[j];
                if (listed[j].Capture is { } capture)
                    KernelCompiler.TryStore(folder, cacheFiles[batch[j]], Encoding.UTF8.GetBytes($"{ProfileLine}{capture.Profile}\n{capture.Listing}"));
            }
        }
        for (var i = 0; i < kernels.Count; i++) outcomes[i] ??= outcomes[firstWithFile[cacheFiles[i]]];
        return outcomes.Select(o => o!).ToList();
    }

    private static ListingCapture? ReadCached(string file)
    {
        try
        {
            if (File.Exists(file) && File.ReadAllText(file) is var text && text.IndexOf('\n') is var newline and > 0
                && text.StartsWith(ProfileLine, StringComparison.Ordinal))
                return new ListingCapture(text[newline..].TrimStart('\n'), text[ProfileLine.Length..newline].Trim());
        }
        catch (IOException)
        {
            // An unreadable entry is listed again.
        }
        return null;
    }

    /// <summary>Splits the kernels into batches in which no type name appears twice, keeping their order.</summary>
    private static List<List<int>> BatchesOfDistinctTypes(List<int> kernels, Func<int, string> typeName)
    {
        var batches = new List<List<int>>();
        var seen = new List<HashSet<string>>();
        foreach (var kernel in kernels)
        {
            var batch = seen.FindIndex(types => !types.Contains(typeName(kernel)));
            if (batch < 0)
            {
                batch = batches.Count;
                batches.Add([]);
                seen.Add(new HashSet<string>(StringComparer.Ordinal));
            }
            batches[batch].Add(kernel);
            seen[batch].Add(typeName(kernel));
        }
        return batches;
    }

    /// <summary>
    /// The JIT that lists (this runtime, or the arm64 build's, with the harness library the kernels
    /// inline from), the CPU qemu emulates, the compilation configuration and the runtime switches:
    /// what the code depends on besides the kernel itself.
    /// </summary>
    private static string JitIdentity(ListingTarget target, string? arm64Build)
    {
        var identity = new StringBuilder();
        identity.Append(target.Name).Append('\n').Append(target.QemuCpu).Append('\n');
        identity.Append(target.Configuration.Name).Append('\n');
        foreach (var (name, value) in ChildEnvironment(target)) identity.Append(name).Append('=').Append(value).Append('\n');
        identity.AppendJoin(' ', JitSwitches.Current.Set).Append('\n');
        if (target.Configuration.Precompiled) identity.Append(ReadyToRunListing.Identity(target, arm64Build)).Append('\n');
        if (target.UnderQemu && FindArm64Build(arm64Build) is { } harness)
        {
            foreach (var file in new[] { "libclrjit.so", "Harness.Core.dll", "System.Private.CoreLib.dll" })
                identity.Append(Stamp(Path.Combine(Path.GetDirectoryName(harness)!, file))).Append('\n');
        }
        else
        {
            identity.Append(RuntimeInformation.FrameworkDescription).Append('\n');
            identity.Append(Stamp(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "libclrjit.so"))).Append('\n');
            identity.Append(typeof(Kernels.Abi.RoundContext).Assembly.ManifestModule.ModuleVersionId).Append('\n');
        }
        return identity.ToString();
    }

    /// <summary>The listing cache's key of one kernel under one JIT identity.</summary>
    internal static string CacheKey(string jitIdentity, ListingRequest kernel)
    {
        var identity = $"{Convert.ToHexString(System.IO.Hashing.XxHash128.Hash(kernel.Image))}\n{kernel.TypeName}\n{jitIdentity}";
        return Convert.ToHexString(System.IO.Hashing.XxHash128.Hash(Encoding.UTF8.GetBytes(identity))).ToLowerInvariant();
    }

    /// <summary>The listing cache's key of one kernel on one target, for tests: it must differ wherever the code may.</summary>
    public static string CacheKey(ListingTarget target, ListingRequest kernel, string? arm64Build = null) =>
        CacheKey(JitIdentity(target, arm64Build), kernel);

    internal static string Stamp(string file)
    {
        var info = new FileInfo(file);
        return info.Exists ? $"{file} {info.Length} {info.LastWriteTimeUtc.Ticks}" : file;
    }

    /// <summary>The variables the child runs under besides the listing's own: the configuration's and the target's switches.</summary>
    private static IEnumerable<KeyValuePair<string, string>> ChildEnvironment(ListingTarget target) =>
        target.Configuration.Environment.Concat(target.Switches).OrderBy(v => v.Key, StringComparer.Ordinal);

    /// <summary>
    /// How to start this machine's harness: this very program when it is the harness (the apphost,
    /// or dotnet running harness.dll); from another host (a test runner), the harness.dll beside
    /// this library, run by the dotnet that runs this process.
    /// </summary>
    private static (string Program, string? Assembly) HostHarness()
    {
        var self = Environment.ProcessPath ?? throw new ListingUnavailableException("cannot tell which program this process is");
        var entry = System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name;
        if (entry == "harness")
            return Path.GetFileNameWithoutExtension(self) == "dotnet" ? (self, Environment.GetCommandLineArgs()[0]) : (self, null);
        var beside = Path.Combine(AppContext.BaseDirectory, "harness.dll");
        if (!File.Exists(beside)) throw new ListingUnavailableException($"no harness.dll beside {AppContext.BaseDirectory} to compile the listing with");
        var dotnet = Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
            : "dotnet";
        return (dotnet, beside);
    }

    /// <summary>
    /// Lists one batch in one child: the images written to a scratch folder with a manifest, the
    /// child's single listing cut into each kernel's.
    /// </summary>
    private static ListingOutcome[] CaptureBatch(ListingTarget target, IReadOnlyList<ListingRequest> kernels, string? arm64Build, TimeSpan timeout,
        CancellationToken stop)
    {
        var scratch = Directory.CreateTempSubdirectory("harness-asm-");
        try
        {
            var entries = kernels.Select((kernel, i) =>
            {
                var assembly = Path.Combine(scratch.FullName, $"kernel-{i}.dll");
                File.WriteAllBytes(assembly, kernel.Image);
                return new ListingManifestEntry(assembly, kernel.TypeName);
            }).ToList();
            var (listingText, profile, failures) = target.Configuration.Precompiled
                ? (ReadyToRunListing.Compile(target, entries.Select(e => (e.Assembly, e.TypeName)).ToList(),
                       arm64Build, start => RunChild(target, start, timeout, stop)),
                   target.Profile.Name, new Dictionary<int, string>())
                : ListInChild(target, kernels, entries, scratch.FullName, arm64Build, timeout, stop);
            var perType = ListingSplitter.Split(listingText);
            // The library methods the racing code calls go with every kernel's listing: the reader reads a call as their code.
            var kernelTypes = kernels.Select(k => k.TypeName).ToHashSet(StringComparer.Ordinal);
            var callees = string.Concat(perType.Where(type => !kernelTypes.Contains(type.Key)).Select(type => type.Value))
                + string.Concat(listingText.Split('\n').Where(l => l.StartsWith(EntryComment, StringComparison.Ordinal)).Select(l => l + "\n"));
            return kernels.Select((kernel, i) =>
                failures.TryGetValue(i, out var failure) ? new ListingOutcome(null, $"the JIT listing on {target.Name} failed: {failure}")
                : !perType.TryGetValue(kernel.TypeName, out var listing) ? new ListingOutcome(null, $"the JIT on {target.Name} printed no code for {kernel.TypeName}")
                : NotInTheExpectedTier(listing, target.Configuration) is { } header
                    ? new ListingOutcome(null, $"{target.Configuration.Name} code was not reached on {target.Name}: the last code of a thread method is '{header}'")
                : new ListingOutcome(new ListingCapture(listing + callees, profile), null)).ToArray();
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    /// <summary>The listing the harness's jit-listing child prints for one batch, the profile it compiled for, and the kernels it could not compile.</summary>
    private static (string Listing, string Profile, Dictionary<int, string> Failures) ListInChild(ListingTarget target, IReadOnlyList<ListingRequest> kernels,
        IReadOnlyList<ListingManifestEntry> entries, string scratch, string? arm64Build, TimeSpan timeout, CancellationToken stop)
    {
        var manifest = Path.Combine(scratch, "manifest.txt");
        File.WriteAllText(manifest, ListingManifest.Write(entries));
        var listingFile = Path.Combine(scratch, "listing.txt");
        var start = ChildStart(target, arm64Build);
        start.ArgumentList.Add("jit-listing");
        start.ArgumentList.Add("--manifest");
        start.ArgumentList.Add(manifest);
        start.ArgumentList.Add("--jit");
        start.ArgumentList.Add(target.Configuration.Name);
        // Only the kernels' own methods: a space-separated set of Type:* patterns.
        start.Environment["DOTNET_JitDisasm"] = string.Join(' ', kernels.Select(k => k.TypeName + ":*").Distinct().Concat(target.Configuration.CalleesListed));
        start.Environment["DOTNET_JitStdOutFile"] = listingFile;
        // arm64 calls through cells whose addresses the diffable listing masks; the reader needs them to name the callee.
        start.Environment["DOTNET_JitDisasmDiffable"] = target.Architecture == "arm64" && target.Configuration.CalleesListed.Count > 0 ? "0" : "1";
        foreach (var (name, value) in ChildEnvironment(target)) start.Environment[name] = value;

        // The timeout is meant for a few kernels; a large batch gets one more share per ten kernels.
        var stdout = RunChild(target, start, timeout * (kernels.Count / 10 + 1), stop);
        var lines = stdout.Split('\n');
        var profile = lines.FirstOrDefault(l => l.StartsWith(ProfileLine, StringComparison.Ordinal))?[ProfileLine.Length..].Trim()
            ?? throw new ListingUnavailableException($"the JIT listing on {target.Name} did not say which profile it compiled for");
        var failures = new Dictionary<int, string>();
        foreach (var line in lines.Where(l => l.StartsWith(FailureLine, StringComparison.Ordinal)))
        {
            var rest = line[FailureLine.Length..];
            var space = rest.IndexOf(' ');
            if (space > 0 && int.TryParse(rest.AsSpan(0, space), out var index)) failures[index] = rest[(space + 1)..].Trim();
        }
        // The call cells go with the listing, as comments: the reader names the calls arm64 code makes through them.
        var entryPoints = string.Concat(lines.Where(l => l.StartsWith(EntryLine, StringComparison.Ordinal)).Select(l => $"{EntryComment}{l[EntryLine.Length..].Trim()}\n"));
        return (entryPoints + (File.Exists(listingFile) ? File.ReadAllText(listingFile) : ""), profile, failures);
    }

    /// <summary>The header of a method body the JIT did not compile in the tier the configuration reads, if any: that code is not shown as if it were.</summary>
    private static string? NotInTheExpectedTier(string listing, JitConfiguration configuration) =>
        listing.Split('\n').FirstOrDefault(line => line.StartsWith(ListingSplitter.HeaderStart, StringComparison.Ordinal)
                                                   && !line.Contains(configuration.ExpectedTier, StringComparison.Ordinal))?.Trim();

    /// <summary>How to start the harness that lists for <paramref name="target"/>: the host's, or the arm64 build under qemu on the target's CPU.</summary>
    private static ProcessStartInfo ChildStart(ListingTarget target, string? arm64Build)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (target.UnderQemu)
        {
            var qemu = FindQemu() ?? throw new ListingUnavailableException(
                $"{Qemu} is not installed, so the arm64 code cannot be read here (scripts/setup-qemu-arm64.sh installs it on Debian)");
            var harness = FindArm64Build(arm64Build) ?? throw new ListingUnavailableException(
                "no linux-arm64 build of the harness: make one with `dotnet publish harness/Harness.Cli -c Release -r linux-arm64 " +
                "--self-contained -o artifacts/linux-arm64`, or pass --arm64-build");
            start.FileName = qemu;
            start.ArgumentList.Add("-L");
            start.ArgumentList.Add(Arm64Sysroot);
            if (target.QemuCpu is { } cpu)
            {
                start.ArgumentList.Add("-cpu");
                start.ArgumentList.Add(cpu);
            }
            start.ArgumentList.Add(harness);
        }
        else
        {
            var (program, assembly) = HostHarness();
            start.FileName = program;
            if (assembly is not null) start.ArgumentList.Add(assembly);
        }
        return start;
    }

    /// <summary>
    /// Runs the child to its end and returns its standard output; a child that cannot start, hangs or
    /// fails throws. <paramref name="stop"/> kills it and throws <see cref="OperationCanceledException"/>,
    /// as does a child that a signal ended while the same interruption reaches this process: Ctrl-C and
    /// <c>timeout -s INT</c> signal the whole process group, and the child may die before this process
    /// hears of it.
    /// </summary>
    private static string RunChild(ListingTarget target, ProcessStartInfo start, TimeSpan timeout, CancellationToken stop)
    {
        stop.ThrowIfCancellationRequested();
        Process? started;
        try
        {
            started = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            // E.g. an arm64 harness under qemu-user starting itself: the host kernel cannot exec an arm64 binary without binfmt_misc.
            throw new ListingUnavailableException($"could not start {start.FileName}: {e.Message}");
        }
        using var child = started ?? throw new ListingUnavailableException($"could not start {start.FileName}");
        var stderr = child.StandardError.ReadToEndAsync(CancellationToken.None);
        var stdout = child.StandardOutput.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop);
        limit.CancelAfter(timeout);
        try
        {
            child.WaitForExitAsync(limit.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
            stop.ThrowIfCancellationRequested();
            throw new ListingUnavailableException($"the JIT listing on {target.Name} took longer than {timeout.TotalSeconds:0} s");
        }
        child.WaitForExit();
        if (child.ExitCode is SignalledInterrupt or SignalledTerminate && stop.CanBeCanceled)
        {
            stop.WaitHandle.WaitOne(SignalReachesParent);
            stop.ThrowIfCancellationRequested();
        }
        if (child.ExitCode != 0)
            throw new ListingUnavailableException($"the JIT listing on {target.Name} failed (exit {child.ExitCode}): {WithoutStackTrace(stderr.Result)}");
        return stdout.Result;
    }

    /// <summary>
    /// A child's error output as a user reads it: a child that crashes (crossgen2 on a file another process holds, say) prints
    /// its stack trace, which says nothing to the user and would make the harness's one-line error a page.
    /// </summary>
    public static string WithoutStackTrace(string stderr)
    {
        var lines = stderr.Split('\n').Select(line => line.TrimEnd()).Where(line => line.Length > 0)
            .Where(line => !line.TrimStart().StartsWith("at ", StringComparison.Ordinal) && !line.TrimStart().StartsWith("--- End of", StringComparison.Ordinal))
            .Distinct().ToList();
        const int Shown = 4;
        return string.Join(" ", lines.Take(Shown)) + (lines.Count > Shown ? $" (and {lines.Count - Shown} more lines)" : "");
    }

    /// <summary>The exit statuses of a child ended by SIGINT and SIGTERM (128 + the signal).</summary>
    private const int SignalledInterrupt = 130, SignalledTerminate = 143;

    /// <summary>How long a signal that ended a child may take to be handled in this process too.</summary>
    private static readonly TimeSpan SignalReachesParent = TimeSpan.FromSeconds(2);
}
