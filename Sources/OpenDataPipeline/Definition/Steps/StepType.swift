/// A transform step, named by the one key of a `steps:` entry, and how it is read.
struct StepType: Sendable {
    let name: String
    let build: @Sendable (StepLoader, DefinitionNode) throws -> any Transform

    init(_ name: String, build: @escaping @Sendable (StepLoader, DefinitionNode) throws -> any Transform) {
        self.name = name
        self.build = build
    }
}

extension StepType {
    /// Every step, one line each, in the order messages list them.
    /// Adding a step: one file declaring `static let <name> = StepType(…)`, and one line here.
    static let registry: [StepType] = [
        .select,
        .rename,
        .filter,
        .derive,
        .aggregate,
        .lookup,
        .unpivot,
        .pivot,
        .sort,
        .deduplicate,
        .scale,
        .fillDown,
        .fill,
    ]
}
