namespace ModelDsl.Generator.Tests.Infrastructure;

/// <summary>Model sources shared by several tests.</summary>
public static class Sources
{
    public const string Card = """
        using ModelDsl;
        using static ModelDsl.Init;

        namespace Demo;

        [Model(784)]
        [Dense(256, Init = He), BatchNorm, Dropout(0.5)]
        [Dense(10)]
        public partial class Mlp { }
        """;
}
