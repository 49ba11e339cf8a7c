/// Builds ``HTML`` from statements: a `String` becomes escaped text, fragments are concatenated,
/// and `if`, `switch` and `for` work as in Swift.
@resultBuilder
enum HTMLBuilder {
    static func buildExpression(_ html: HTML) -> HTML { html }
    static func buildExpression(_ text: String) -> HTML { .text(text) }
    static func buildBlock(_ parts: HTML...) -> HTML { .joined(parts) }
    static func buildOptional(_ part: HTML?) -> HTML { part ?? HTML() }
    static func buildEither(first part: HTML) -> HTML { part }
    static func buildEither(second part: HTML) -> HTML { part }
    static func buildArray(_ parts: [HTML]) -> HTML { .joined(parts) }
    static func buildLimitedAvailability(_ part: HTML) -> HTML { part }
}
