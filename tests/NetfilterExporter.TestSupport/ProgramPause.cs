namespace NetfilterExporter.TestSupport;

/// <summary>Which call of a wrapped program <see cref="ProgramWrappers"/> pauses.</summary>
/// <param name="Program">The program's name, as the command looks it up on PATH.</param>
/// <param name="Arguments">Its arguments, joined with single spaces: only calls with exactly these count.</param>
/// <param name="Occurrence">Which of those calls pauses, counting from 1 in the order they start.</param>
public sealed record ProgramPause(string Program, string Arguments, int Occurrence);
