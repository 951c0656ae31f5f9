using DicomScript.Scripting.Events;
using KeraLua;
using NUnit.Framework;

namespace DicomScript.Scripting.Tests;

// What a callback can see decides which arguments are built (OnStoredInstance's tags cost a file read).
[TestFixture]
public class CallbackArgumentsTests
{
    [TestCase("function(id) end", 1)]
    [TestCase("function(id, tags, metadata, origin) end", 4)]
    [TestCase("function() end", 0)]
    [TestCase("function(id, ...) end", int.MaxValue)]
    [TestCase("print", int.MaxValue)]
    [TestCase("'not a function'", 0)]
    public void VisibleArguments_DeclaredParameters_AnyNumberForVarargsAndCFunctions(string function, int expected)
    {
        using var lua = new Lua();
        lua.OpenLibs();
        Assert.That(lua.DoString("f = " + function), Is.False, lua.ToString(-1));
        lua.PushString("below"); // what the caller has on the stack stays there

        Assert.That(CallbackArguments.VisibleArguments(lua, "f"), Is.EqualTo(expected));
        Assert.That(lua.GetTop(), Is.EqualTo(1));
        Assert.That(lua.ToString(-1), Is.EqualTo("below"));
    }
}
