using NUnit.Framework;

namespace DicomScript.Dicom.Tests.Support;

/// <summary>
/// A fixture that starts the real Orthanc once for all its tests (when Orthanc and the corpus are
/// installed; each test then calls <see cref="RequireOrthanc"/>, which ignores or fails as usual).
/// </summary>
[NonParallelizable]
public abstract class OrthancOracleFixture
{
    private OrthancServer? _orthanc;

    [OneTimeSetUp]
    public void StartOrthanc()
    {
        if (ExternalTools.Find("/usr/sbin/Orthanc") is not null && Directory.Exists(PydicomCorpus.TestFiles))
            _orthanc = OrthancServer.Start();
    }

    [OneTimeTearDown]
    public void StopOrthanc() => _orthanc?.Dispose();

    /// <summary>The running Orthanc; ignores (locally) or fails (CI) the test when it or the corpus is missing.</summary>
    protected OrthancServer RequireOrthanc()
    {
        PydicomCorpus.Require();
        ExternalTools.Require("/usr/sbin/Orthanc", "orthanc");
        return _orthanc!;
    }
}
