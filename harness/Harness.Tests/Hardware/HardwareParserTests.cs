using Harness.Language;
using Harness.Simulation;
using Harness.Simulation.Executions;
using Harness.Programs;

namespace Harness.Tests.HardwareLitmus;

/// <summary>The X86 and AArch64 frontends: what each construct becomes, checked on the program and on its outcomes.</summary>
[TestFixture]
public sealed class HardwareParserTests
{
    private const string FileName = "hw.litmus";

    private static LitmusTest Parse(string text) => LitmusParser.Parse(text, FileName);

    private static (List<string> States, string Verdict) Simulate(string text, string model)
    {
        var test = Parse(text);
        var result = Simulator.Simulate(test, [ModelCatalog.Target(ModelCatalog.Find(model)!)]).Single();
        return (result.States.Select(Canonical).Order(StringComparer.Ordinal).ToList(), result.Verdict);
    }

    private static string Canonical(FinalState state) =>
        string.Join(" ", state.Keys.Select((k, i) => $"{k}={state.Values[i]}").Order(StringComparer.Ordinal));

    private static IReadOnlyList<Instruction> Code(LitmusTest test, int thread) => test.HardwareProgram!.Threads[thread].Code;

    // ------------------------------------------------------------------ frame

    [Test]
    public void X86TestIsAHardwareTestWithItsOwnProgram()
    {
        var test = Parse("""
            X86 SB
            "Fre PodWR Fre PodWR"
            Cycle=Fre PodWR Fre PodWR
            { x=0; y=0; }
             P0          | P1          ;
             MOV [x],$1  | MOV [y],$1  ;
             MOV EAX,[y] | MOV EAX,[x] ;
            exists (0:EAX=0 /\ 1:EAX=0)
            """);

        Assert.Multiple(() =>
        {
            Assert.That(test.Architecture, Is.EqualTo("X86"));
            Assert.That(test.Name, Is.EqualTo("SB"));
            Assert.That(test.Comment, Is.EqualTo("Fre PodWR Fre PodWR"));
            Assert.That(test.Headers, Is.EqualTo(new[] { new KeyValuePair<string, string>("Cycle", "Fre PodWR Fre PodWR") }));
            Assert.That(test.Threads, Is.Empty);
            Assert.That(test.IsHardwareTest);
            Assert.That(test.Locations, Is.EqualTo(new[] { "x", "y" }));
            Assert.That(test.Condition.Text, Is.EqualTo("exists (0:EAX=0 /\\ 1:EAX=0)"));
            Assert.That(test.SourceFile, Is.EqualTo(FileName));
            Assert.That(test.HardwareProgram!.Level, Is.EqualTo(ProgramLevel.X64));
            Assert.That(Code(test, 0), Is.EqualTo(new Instruction[]
            {
                new StoreInstruction(new ConstExpr(EventProgram.AddressOf(0)), new ConstExpr(1), EventTag.None),
                new LoadInstruction(0, new ConstExpr(EventProgram.AddressOf(1)), EventTag.None),
            }));
            Assert.That(test.HardwareProgram.Threads[0].RegisterNames, Is.EqualTo(new[] { "EAX" }));
            Assert.That(Simulator.ApplicableModels(test).Select(m => m.Name), Is.EqualTo(new[] { "tso" }));
        });
    }

    [Test]
    public void AArch64RegistersArePrintedByTheirXName()
    {
        var test = Parse("""
            AArch64 MP
            {
            0:X1=x; 0:X3=y;
            1:X1=y; 1:X3=x; int z=3; 1:X5=-2;
            }
             P0          | P1          ;
             MOV W0,#1   | LDR W0,[X1] ;
             STR W0,[X1] | LDR W2,[X3] ;
             MOV W2,#1   |             ;
             STR W2,[X3] |             ;
            locations [z;]
            exists (1:W0=1 /\ 1:X2=0)
            """);

        var program = test.HardwareProgram!;
        Assert.Multiple(() =>
        {
            Assert.That(program.Level, Is.EqualTo(ProgramLevel.Arm64));
            Assert.That(program.Observed.Select(k => k.ToString()), Is.EqualTo(new[] { "1:X0", "1:X2", "z" }));
            Assert.That(program.Locations, Is.EqualTo(new[] { "x", "y", "z" }));
            Assert.That(program.InitialValues, Is.EqualTo(new long[] { 0, 0, 3 }));
            var p1 = program.Threads[1];
            Assert.That(program.InitialRegisters[1][p1.RegisterIndex("X1")], Is.EqualTo(EventProgram.AddressOf(1)));
            Assert.That(program.InitialRegisters[1][p1.RegisterIndex("X3")], Is.EqualTo(EventProgram.AddressOf(0)));
            Assert.That(program.InitialRegisters[1][p1.RegisterIndex("X5")], Is.EqualTo(-2));
            Assert.That(test.Initial.Single(i => i.Target.ToString() == "z").Type, Is.EqualTo("int"));
            Assert.That(test.Condition.Text, Is.EqualTo("exists (1:W0=1 /\\ 1:X2=0)"));
        });
        var result = Simulator.Simulate(test, [ModelCatalog.Target(ModelCatalog.Arm64)]).Single();
        Assert.That(result.Verdict, Is.EqualTo("allowed"));
        Assert.That(result.States.Select(Canonical), Has.Member("1:X0=1 1:X2=0 z=3"));
    }

    [Test]
    public void CommentsTrailingSemicolonsAndSpacedKeysAreAccepted()
    {
        var (states, verdict) = Simulate("""
            AArch64 T.litmus

            (* a comment (* nested *) before the state *)
            {
              x = 0;
              0: X0 = x;         1: X0 = x;
            }

            P0             | P1            ;
            MOV W1, #2     | LDR W1, [X0] ; (* reads x *)
            STR W1, [X0]   |              ;

            exists 1: X1 = 2 /\ [x]=2;
            """, "arm64");
        Assert.That(states, Is.EqualTo(new[] { "1:X1=0 x=2", "1:X1=2 x=2" }));
        Assert.That(verdict, Is.EqualTo("allowed"));
    }

    // ------------------------------------------------------------------ X86 instructions

    [Test]
    public void XchgAndLockedInstructionsAreLockedReadModifyWrites()
    {
        var test = Parse("""
            X86 L
            { x=0; }
             P0              ;
             MOV EAX,$1      ;
             XCHG [x],EAX    ;
             LOCK XADD [x],EBX ;
             LOCK INC [x]    ;
             MFENCE          ;
            exists (x=2)
            """);
        var code = Code(test, 0);
        Assert.Multiple(() =>
        {
            Assert.That(code.OfType<RmwInstruction>().Select(r => (r.Operation, r.ReadTags, r.WriteTags, r.SingleEvent)), Is.EqualTo(new[]
            {
                (RmwOperation.Exchange, EventTag.Locked, EventTag.Locked, false),
                (RmwOperation.Add, EventTag.Locked, EventTag.Locked, false),
                (RmwOperation.Add, EventTag.Locked, EventTag.Locked, false),
            }));
            Assert.That(code.OfType<FenceInstruction>().Single().Tags, Is.EqualTo(EventTag.MFence));
        });
    }

    [Test]
    public void LockXaddReturnsTheOldValue()
    {
        var (states, verdict) = Simulate("""
            X86 XADD
            { x=0; 0:EAX=1; 1:EAX=1; }
             P0                | P1                ;
             LOCK XADD [x],EAX | LOCK XADD [x],EAX ;
            exists (0:EAX=0 /\ 1:EAX=0)
            """, "tso");
        Assert.That(states, Is.EqualTo(new[] { "0:EAX=0 1:EAX=1", "0:EAX=1 1:EAX=0" }));
        Assert.That(verdict, Is.EqualTo("forbidden"));
    }

    [Test]
    public void LockCmpxchgComparesWithEaxAndLoadsItOnFailure()
    {
        var (states, _) = Simulate("""
            X86 CMPXCHG
            { x=0; }
             P0                    | P1                    ;
             MOV EBX,$1            | MOV EBX,$2            ;
             LOCK CMPXCHG [x],EBX  | LOCK CMPXCHG [x],EBX  ;
             JNE fail              | JNE fail              ;
             MOV ECX,$1            | MOV ECX,$1            ;
             fail:                 | fail:                 ;
            locations [x;]
            exists (0:ECX=1 /\ 1:ECX=1)
            """, "tso");
        Assert.That(states, Is.EqualTo(new[] { "0:ECX=0 1:ECX=1 x=2", "0:ECX=1 1:ECX=0 x=1" }));
    }

    [Test]
    public void X86CompareAndBranch()
    {
        var (states, _) = Simulate("""
            X86 BR
            { x=0; y=0; }
             P0          | P1          ;
             MOV [x],$1  | MOV EAX,[x] ;
                         | CMP EAX,$1  ;
                         | JE one      ;
                         | MOV EBX,$7  ;
                         | JMP end     ;
                         | one:        ;
                         | MOV EBX,$9  ;
                         | end:        ;
            exists (1:EBX=9)
            """, "tso");
        Assert.That(states, Is.EqualTo(new[] { "1:EBX=7", "1:EBX=9" }));
    }

    /// <summary>Beyond herd's X86, for the code the JIT emits: SETcc and MOVZX make a CAS's success flag, shifts of memory are a read then a write.</summary>
    [Test]
    public void X86SetccMovzxAndShiftsOfMemory()
    {
        var (states, _) = Simulate("""
            X86 SET
            { x=0; y=3; }
             P0          | P1            ;
             MOV [x],$1  | MOV EAX,[x]   ;
                         | CMP EAX,$1    ;
                         | SETE CL       ;
                         | MOVZX ECX,CL  ;
                         | SHL [y],$1    ;
            locations [y;]
            exists (1:ECX=1)
            """, "tso");
        Assert.That(states, Is.EqualTo(new[] { "1:ECX=0 y=6", "1:ECX=1 y=6" }));
    }

    [Test]
    public void X86_64IsReadInAttSyntaxWithLowerCaseRegisterNames()
    {
        var (states, verdict) = Simulate("""
            X86_64 SB
            { x=0; y=0; }
             P0             | P1                 ;
             movl $1,(x)    | movq $1,%rbx       ;
             mfence         | xchgq %rbx,(y)     ;
             movl (y),%eax  | movl (x),%eax      ;
            exists (0:RAX=0 /\ 1:rax=0)
            """, "tso");
        Assert.That(states, Is.EqualTo(new[] { "0:rax=0 1:rax=1", "0:rax=1 1:rax=0", "0:rax=1 1:rax=1" }));
        Assert.That(verdict, Is.EqualTo("forbidden"));

        var (wide, _) = Simulate("""
            X86_64 A010
            {
              uint64_t x;
              0:RBX=0x202020202020202;
            }
              P0            ;
              MOVQ %RBX,(x) ;
            locations [x;]
            forall [x] = 0x202020202020202
            """, "tso");
        Assert.That(wide, Is.EqualTo(new[] { "x=144680345676153346" }));
    }

    // ------------------------------------------------------------------ AArch64 instructions

    [Test]
    public void FakeDependencyGivesTheLocationItself()
    {
        // MP with an address dependency on the reader: forbidden on ARMv8 only because of it.
        var (states, verdict) = Simulate("""
            AArch64 MP+dmb+addr
            { 0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x; }
             P0          | P1                  ;
             MOV W0,#1   | LDR W0,[X1]         ;
             STR W0,[X1] | EOR W2,W0,W0        ;
             DMB ST      | LDR W4,[X3,W2,SXTW] ;
             MOV W2,#1   |                     ;
             STR W2,[X3] |                     ;
            exists (1:X0=1 /\ 1:X4=0)
            """, "arm64");
        Assert.That(verdict, Is.EqualTo("forbidden"));
        Assert.That(states, Has.Count.EqualTo(3));
    }

    [Test]
    public void NonZeroOffsetsAreNoLocation()
    {
        var test = Parse("""
            AArch64 OFF
            { 0:X1=x; }
             P0            ;
             LDR W0,[X1,#4] ;
            exists (0:X0=0)
            """);
        Assert.Throws<SimulationException>(() => Simulator.Simulate(test, [ModelCatalog.Target(ModelCatalog.Arm64)]));
    }

    [Test]
    public void PostAndPreIndexUpdateTheBaseRegister()
    {
        var (states, _) = Simulate("""
            AArch64 IDX
            { 0:X1=x; 0:X3=y; }
             P0               ;
             MOV W0,#5        ;
             STR W0,[X1],#8   ;
             STR W0,[X3,#0]!  ;
             SUB X1,X1,#8     ;
             LDR W2,[X1]      ;
            exists (0:X2=5 /\ y=5)
            """, "arm64");
        Assert.That(states, Is.EqualTo(new[] { "0:X2=5 y=5" }));
    }

    [Test]
    public void CselChoosesByTheFlags()
    {
        var (states, _) = Simulate("""
            AArch64 CSEL
            { x=0; 0:X1=x; 0:X2=5; 0:X3=7; 1:X1=x; }
             P0                 | P1          ;
             LDR W0,[X1]        | MOV W0,#1   ;
             CMP W0,#1          | STR W0,[X1] ;
             CSEL W4,W2,W3,EQ   |             ;
             CSINC W5,W2,W3,NE  |             ;
             CSET W6,EQ         |             ;
            locations [0:X0; 0:X5; 0:X6;]
            exists (0:X4=5)
            """, "arm64");
        Assert.That(states, Is.EqualTo(new[] { "0:X0=0 0:X4=7 0:X5=5 0:X6=0", "0:X0=1 0:X4=5 0:X5=8 0:X6=1" }));
    }

    [Test]
    public void LseAtomicsCarryHerdsAnnotations()
    {
        var test = Parse("""
            AArch64 LSE
            { 0:X1=x; }
             P0                  ;
             SWPAL W2,W3,[X1]    ;
             SWPA W2,WZR,[X1]    ;
             LDADDL W2,W4,[X1]   ;
             STADD W2,[X1]       ;
             LDCLRA W2,W5,[X1]   ;
             CASA W6,W7,[X1]     ;
             CAS WZR,W7,[X1]     ;
            exists (x=0)
            """);
        var code = Code(test, 0);
        var rmws = code.OfType<RmwInstruction>().Select(r => (r.Operation, r.ReadTags, r.WriteTags, r.Destination >= 0)).ToList();
        var cases = code.OfType<CasInstruction>().Select(c => (c.SuccessReadTags, c.SuccessWriteTags, c.FailureTags, c.OldValueRegister >= 0)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(rmws, Is.EqualTo(new[]
            {
                (RmwOperation.Exchange, EventTag.Amo | EventTag.AcquireSc, EventTag.Amo | EventTag.ReleaseL, true),
                (RmwOperation.Exchange, EventTag.Amo | EventTag.NoReturn, EventTag.Amo, false),
                (RmwOperation.Add, EventTag.Amo, EventTag.Amo | EventTag.ReleaseL, true),
                (RmwOperation.Add, EventTag.Amo | EventTag.NoReturn, EventTag.Amo, false),
                (RmwOperation.And, EventTag.Amo | EventTag.AcquireSc, EventTag.Amo, true),
            }));
            Assert.That(code.OfType<RmwInstruction>().ElementAt(4).Operand, Is.InstanceOf<UnaryExpr>());
            Assert.That(cases, Is.EqualTo(new[]
            {
                (EventTag.Amo | EventTag.AcquireSc, EventTag.Amo, EventTag.AcquireSc, true),
                (EventTag.Amo | EventTag.NoReturn, EventTag.Amo, EventTag.NoReturn, false),
            }));
        });
    }

    [Test]
    public void CasPicksItsWriteAndTakesItsOldValueEitherWayAsHerdDoes()
    {
        var test = Parse("""
            AArch64 PICK
            { 0:X1=x; 0:X3=y; }
             P0                 ;
             LDR W5,[X1]        ;
             MOV W4,#1          ;
             CAS W5,W4,[X3]     ;
             STR W5,[X1]        ;
            exists (0:X5=0)
            """);
        Assert.That(Code(test, 0).OfType<CasInstruction>().Single().Dependencies, Is.EqualTo(CasDependencies.Pick));
        // Reads 0 (LDR) and 1 (the CAS's); the comparison of both picks the CAS's write.
        var traces = new ThreadTraceEnumerator(test.HardwareProgram!, loopBound: 2).Enumerate()[0];
        var casWrites = traces.Where(t => t.Events.Count == 4).Select(t => t.Events[2].DataDependencies).Distinct();
        var oldValues = traces.Select(t => t.Events[^1].DataDependencies).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(casWrites, Is.EqualTo(new[] { new ReadDependencies(Basic: 0, Pick: 0b11) }));
            Assert.That(oldValues, Is.EquivalentTo(new[]
            {
                new ReadDependencies(Basic: 0b10, Pick: 0b10), // success, the old value taken from the read
                new ReadDependencies(Basic: 0b01, Pick: 0b11), // success, the expected value picked by the comparison
                new ReadDependencies(Basic: 0b10, Pick: 0b10), // failure
            }));
        });
    }

    [Test]
    public void BarriersMapToTheirKinds()
    {
        var test = Parse("""
            AArch64 B
            {}
             P0        ;
             DMB ISH   ;
             DMB SY    ;
             DMB ISHLD ;
             DMB LD    ;
             DMB ISHST ;
             DSB ST    ;
             ISB       ;
            exists (0:X0=0)
            """);
        Assert.That(Code(test, 0).Cast<FenceInstruction>().Select(f => f.Tags), Is.EqualTo(new[]
        {
            EventTag.DmbFull, EventTag.DmbFull, EventTag.DmbLoad, EventTag.DmbLoad, EventTag.DmbStore, EventTag.DmbStore, EventTag.Isb,
        }));
    }

    [Test]
    public void ExclusivePairMaySucceedOrFailButNeverLosesAnUpdate()
    {
        var (states, verdict) = Simulate("""
            AArch64 INC
            { 0:X1=x; 1:X1=x; }
             P0              | P1               ;
             LDXR W0,[X1]    | LDAXR W0,[X1]    ;
             ADD W0,W0,#1    | ADD W0,W0,#1     ;
             STXR W2,W0,[X1] | STLXR W2,W0,[X1] ;
            locations [x;]
            exists (0:X2=0 /\ 1:X2=0 /\ x=1)
            """, "arm64");
        Assert.That(verdict, Is.EqualTo("forbidden"));
        Assert.That(states, Is.EqualTo(new[]
        {
            "0:X2=0 1:X2=0 x=2", "0:X2=0 1:X2=1 x=1", "0:X2=1 1:X2=0 x=1", "0:X2=1 1:X2=1 x=0",
        }));
    }

    [Test]
    public void ExclusivePairIsALoadAndAStoreExclusiveWithTheirTags()
    {
        var test = Parse("""
            AArch64 X
            { 0:X1=x; }
             P0               ;
             MOV W3,#1        ;
             LDAXR W0,[X1]    ;
             STLXR W2,W3,[X1] ;
            exists (0:X2=0)
            """);
        Assert.Multiple(() =>
        {
            Assert.That(Code(test, 0).OfType<LoadInstruction>().Single().Tags, Is.EqualTo(EventTag.Exclusive | EventTag.AcquireSc));
            Assert.That(Code(test, 0).OfType<StoreExclusiveInstruction>().Single().Tags, Is.EqualTo(EventTag.Exclusive | EventTag.ReleaseL));
        });
        Assert.That(Simulate("""
            AArch64 X
            { 0:X1=x; }
             P0               ;
             MOV W3,#1        ;
             LDAXR W0,[X1]    ;
             STLXR W2,W3,[X1] ;
            locations [x;]
            exists (0:X2=0)
            """, "arm64").States, Is.EqualTo(new[] { "0:X2=0 x=1", "0:X2=1 x=0" }));
    }

    [Test]
    public void AStoreExclusivePairsWithTheLatestLoadExclusiveAcrossAccessesAndBranches()
    {
        // Two pairs in one thread, the first a retry loop, a plain read between the second pair's
        // instructions: every path ends with both exchanges done (the loop bound cuts the rest).
        var (states, _) = Simulate("""
            AArch64 TwoPairs
            { 0:X1=x; 0:X3=y; }
             P0                ;
             MOV W5,#1         ;
            L0:                ;
             LDXR W0,[X1]      ;
             STXR W2,W5,[X1]   ;
             CBNZ W2,L0        ;
             LDXR W4,[X3]      ;
             LDR W6,[X1]       ;
             STXR W7,W5,[X3]   ;
            locations [x; y;]
            exists (0:X7=0)
            """, "arm64");
        Assert.That(states, Is.EqualTo(new[] { "0:X7=0 x=1 y=1", "0:X7=1 x=1 y=0" }));
    }

    [Test]
    public void AStoreExclusiveWithNoLoadExclusiveOrAnotherAddressFails()
    {
        var (states, _) = Simulate("""
            AArch64 Unpaired
            { 0:X1=x; 0:X3=y; }
             P0              ;
             MOV W5,#1       ;
             STXR W2,W5,[X1] ;
             LDXR W0,[X1]    ;
             STXR W4,W5,[X3] ;
            locations [x; y; 0:X4;]
            exists (0:X2=0)
            """, "arm64");
        Assert.That(states, Is.EqualTo(new[] { "0:X2=1 0:X4=1 x=0 y=0" }));
    }
}
