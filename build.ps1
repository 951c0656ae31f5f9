# Convenience wrapper for Windows administrators: build, test, run or publish DicomScript.
#   ./build.ps1 build | test | run [CONFIG] | publish [RID]
param(
    [Parameter(Position = 0)][ValidateSet("build", "test", "run", "publish")][string]$Task = "build",
    [Parameter(Position = 1)][string]$Argument
)
$ErrorActionPreference = "Stop"
Set-Location $PSScriptRoot

switch ($Task) {
    "build"   { dotnet build DicomScript.sln -c Release }
    "test"    { dotnet test DicomScript.sln -c Release }
    "run"     { if ($Argument) { dotnet run --project src/DicomScript.Host -c Release -- $Argument }
                else { dotnet run --project src/DicomScript.Host -c Release -- orthanc.json } }
    "publish" { $rid = if ($Argument) { $Argument } else { "win-x64" }
                dotnet publish src/DicomScript.Host -c Release -r $rid --self-contained -o "publish/$rid" }
}
exit $LASTEXITCODE
