namespace DicomScript.Server.Remote;

/// <summary>
/// The queries made with <c>/modalities/{name}/query</c>, kept for <c>/queries/{id}</c>: at most
/// QueryRetrieveSize of them, the least recently used one dropped first (as Orthanc's archive).
/// </summary>
public sealed class QueryArchive
{
    private readonly object _lock = new();
    private readonly Dictionary<string, LinkedListNode<(string Id, ModalityQuery Query)>> _byId = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Id, ModalityQuery Query)> _recentFirst = new();
    private readonly int _capacity;

    public QueryArchive(int capacity) => _capacity = Math.Max(1, capacity);

    /// <summary>Keeps a query; its new ID.</summary>
    public string Add(ModalityQuery query)
    {
        var id = Guid.NewGuid().ToString();
        lock (_lock)
        {
            while (_byId.Count >= _capacity)
            {
                _byId.Remove(_recentFirst.Last!.Value.Id);
                _recentFirst.RemoveLast();
            }

            _byId[id] = _recentFirst.AddFirst((id, query));
        }

        return id;
    }

    /// <summary>A kept query (now the most recently used), or null.</summary>
    public ModalityQuery? Get(string id)
    {
        lock (_lock)
        {
            if (!_byId.TryGetValue(id, out var node))
                return null;
            _recentFirst.Remove(node);
            _recentFirst.AddFirst(node);
            return node.Value.Query;
        }
    }

    public void Remove(string id)
    {
        lock (_lock)
        {
            if (_byId.Remove(id, out var node))
                _recentFirst.Remove(node);
        }
    }

    /// <summary>The IDs, in ID order (as Orthanc lists them).</summary>
    public IReadOnlyList<string> List()
    {
        lock (_lock)
            return [.. _byId.Keys.Order(StringComparer.Ordinal)];
    }
}
