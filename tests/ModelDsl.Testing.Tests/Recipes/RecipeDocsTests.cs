using System;
using System.IO;
using System.Text.RegularExpressions;
using Xunit;

namespace ModelDsl.Testing.Tests.Recipes;

/// <summary>Every `&lt;!-- checked: file; … --&gt;` code block in docs/recipes.md is that file, word for word.</summary>
public class RecipeDocsTests
{
    [Fact]
    public void Checked_blocks_in_recipes_equal_the_compiled_files()
    {
        string root = RepositoryRoot();
        string docs = File.ReadAllText(Path.Combine(root, "docs", "recipes.md")).ReplaceLineEndings("\n");
        MatchCollection blocks = Regex.Matches(docs, @"<!-- checked: (?<file>[^ ;]+)[^>]*-->\n```csharp\n(?<code>.*?)```", RegexOptions.Singleline);

        Assert.Equal(3, blocks.Count);
        foreach (Match block in blocks)
        {
            string file = Path.Combine(root, block.Groups["file"].Value);
            Assert.True(File.Exists(file), "docs/recipes.md names a missing file: " + file);
            Assert.Equal(File.ReadAllText(file).ReplaceLineEndings("\n"), block.Groups["code"].Value);
        }
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ModelDsl.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("ModelDsl.sln not found above " + AppContext.BaseDirectory);
    }
}
