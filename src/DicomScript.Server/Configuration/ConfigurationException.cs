namespace DicomScript.Server.Configuration;

/// <summary>A configuration that cannot be used: the message names the file (and line) and the reason.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string message)
        : base(message)
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ConfigurationException()
        : base("invalid configuration")
    {
    }
}
