import Crypto
import DoralakeCore

/// A digest of a record's stored content, to tell an unchanged re-post from an update without
/// comparing every column. Fields are length-prefixed so that no two field lists collide.
struct Fingerprint {
    private var hasher = SHA256()

    mutating func add(_ text: String) {
        let bytes = Array(text.utf8)
        add(Int64(bytes.count))
        hasher.update(data: bytes)
    }

    mutating func add(_ value: Int64) {
        withUnsafeBytes(of: value.littleEndian) { hasher.update(bufferPointer: $0) }
    }

    mutating func add(_ value: Int64?) {
        if let value {
            add(Int64(1))
            add(value)
        } else {
            add(Int64(0))
        }
    }

    mutating func add(_ value: String?) {
        if let value {
            add(Int64(1))
            add(value)
        } else {
            add(Int64(0))
        }
    }

    mutating func add(_ value: Bool?) { add(value.map { $0 ? Int64(1) : 0 }) }

    mutating func add(_ value: Double?) { add(value.map { Int64(bitPattern: $0.bitPattern) }) }

    mutating func add(_ values: [String]) {
        add(Int64(values.count))
        for value in values { add(value) }
    }

    func hex() -> String {
        Hex.encode(hasher.finalize())
    }
}

extension Deployment {
    var fingerprint: String {
        var f = Fingerprint()
        f.add(name); f.add(displayTitle); f.add(result); f.add(originalResult); f.add(status)
        f.add(originalStatus); f.add(environment); f.add(originalEnvironment); f.add(kind); f.add(isRework)
        f.add(createdDate); f.add(startedDate); f.add(finishedDate)
        f.add(Int64(commits.count))
        for c in commits {
            f.add(c.repoUrl); f.add(c.commitSha); f.add(c.name); f.add(c.displayTitle); f.add(c.result)
            f.add(c.originalResult); f.add(c.status); f.add(c.originalStatus); f.add(c.repoId); f.add(c.refName)
            f.add(c.commitMsg); f.add(c.createdDate); f.add(c.startedDate); f.add(c.finishedDate)
            f.add(c.includedCommitShas)
        }
        return f.hex()
    }
}

extension Issue {
    var fingerprint: String {
        var f = Fingerprint()
        f.add(title); f.add(status); f.add(originalStatus); f.add(type); f.add(originalType); f.add(createdDate)
        f.add(resolutionDate); f.add(updatedDate); f.add(storyPoint); f.add(leadTimeMinutes)
        f.add(originalEstimateMinutes); f.add(timeSpentMinutes); f.add(timeRemainingMinutes); f.add(url)
        f.add(description); f.add(epicKey); f.add(priority); f.add(severity); f.add(component); f.add(creatorId)
        f.add(creatorName); f.add(assigneeId); f.add(assigneeName); f.add(parentIssueKey); f.add(deploymentId)
        f.add(deploymentConnectionId); f.add(causedByDeployment)
        return f.hex()
    }
}

extension PullRequest {
    var fingerprint: String {
        var f = Fingerprint()
        f.add(externalId); f.add(displayTitle); f.add(createdDate); f.add(mergedDate); f.add(closedDate)
        f.add(status); f.add(originalStatus); f.add(repoUrl); f.add(mergeCommitSha); f.add(baseCommitSha)
        f.add(headCommitSha); f.add(description); f.add(url); f.add(authorName); f.add(authorId)
        f.add(mergedByName); f.add(mergedById); f.add(parentPrId); f.add(type); f.add(component); f.add(headRef)
        f.add(baseRef); f.add(headRepoId); f.add(baseRepoId); f.add(additions); f.add(deletions); f.add(isDraft)
        return f.hex()
    }
}

extension Commit {
    var fingerprint: String {
        var f = Fingerprint()
        f.add(authoredDate); f.add(additions); f.add(deletions); f.add(isMerge)
        return f.hex()
    }
}
