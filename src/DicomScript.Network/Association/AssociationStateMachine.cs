namespace DicomScript.Network.Association;

/// <summary>
/// Tracks one association's state through <see cref="StateTable"/>. An event the standard does not
/// define for the current state is reported as such; the caller decides (abort, or a programming error).
/// </summary>
public sealed class AssociationStateMachine
{
    public AssociationStateMachine(bool isRequestor) => IsRequestor = isRequestor;

    public bool IsRequestor { get; }

    public AssociationState State { get; private set; } = AssociationState.Idle;

    /// <summary>Applies an event: the action of the table and the new state, or null when the cell is blank.</summary>
    public AssociationAction? Apply(AssociationEvent evt, bool requestAcceptable = true)
    {
        var action = StateTable.Lookup(evt, State);
        if (action is { } a)
            State = StateTable.NextState(a, IsRequestor, requestAcceptable);
        return action;
    }
}
