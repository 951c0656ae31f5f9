using DicomScript.Host;

return await CommandLine.RunAsync(args, Console.Out, Console.Error);
