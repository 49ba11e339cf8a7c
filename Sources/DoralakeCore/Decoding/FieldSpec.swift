/// A field of a request body: its canonical name and the other spellings accepted for it.
public struct FieldSpec: Sendable {
    public var name: String
    /// Legacy or alternative names (spec §5.3, §7, §8.1); the snake_case spelling is added automatically.
    public var aliases: [String]

    public init(_ name: String, aliases: [String] = []) {
        self.name = name
        var all = aliases
        let snake = FieldSpec.snakeCase(name)
        if snake != name && !all.contains(snake) { all.append(snake) }
        self.aliases = all
    }

    /// `displayTitle` → `display_title`, `pullRequestKey` → `pull_request_key`.
    public static func snakeCase(_ name: String) -> String {
        var result = ""
        for character in name {
            if character.isUppercase {
                if !result.isEmpty { result.append("_") }
                result.append(contentsOf: character.lowercased())
            } else {
                result.append(character)
            }
        }
        return result
    }
}
