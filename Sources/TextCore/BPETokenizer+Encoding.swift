extension BPETokenizer {
    /// Token ids of `text` (`tokenizers`' `encode(text).ids`). With `parseSpecialTokens` false,
    /// added-token strings are ordinary text.
    public func encode(_ text: String, parseSpecialTokens: Bool = true) -> [Int32] {
        var ids: [Int32] = []
        ids.reserveCapacity(text.utf8.count / 3 + 1)
        encode(text, parseSpecialTokens: parseSpecialTokens, into: &ids)
        return ids
    }

    /// Appends the ids of `text` to `ids`.
    public func encode(_ text: String, parseSpecialTokens: Bool = true, into ids: inout [Int32]) {
        var text = text
        text.withUTF8 { bytes in
            guard parseSpecialTokens, !addedTokens.isEmpty else {
                encodeSegment(bytes, into: &ids)
                return
            }
            var segmentStart = 0
            var i = 0
            while i < bytes.count {
                if let (id, length) = matchAddedToken(bytes, at: i) {
                    encodeSegment(UnsafeBufferPointer(rebasing: bytes[segmentStart..<i]), into: &ids)
                    ids.append(id)
                    i += length
                    segmentStart = i
                } else {
                    i += 1
                }
            }
            encodeSegment(UnsafeBufferPointer(rebasing: bytes[segmentStart..<bytes.count]), into: &ids)
        }
    }

    /// The longest added token starting at `index`.
    @inline(__always)
    private func matchAddedToken(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (Int32, Int)? {
        let candidates = addedByFirstByte[Int(bytes[index])]
        guard !candidates.isEmpty else { return nil }
        for candidate in candidates where index + candidate.bytes.count <= bytes.count {
            var matches = true
            var k = index
            for byte in candidate.bytes {
                if bytes[k] != byte { matches = false; break }
                k += 1
            }
            if matches { return (candidate.id, candidate.bytes.count) }
        }
        return nil
    }

    /// Normalises (NFC, only when `NFCCheck` or a combining mark says it could change the text),
    /// pre-tokenises and merges one segment without added tokens.
    private func encodeSegment(_ bytes: UnsafeBufferPointer<UInt8>, into ids: inout [Int32]) {
        guard !bytes.isEmpty else { return }
        let text = ScalarText(bytes)
        if text.mayChangeUnderNFC, normalizesNFC {
            let normalized = Self.nfc(String(decoding: bytes, as: UTF8.self))
            normalized.withUnsafeBufferPointer { normalized in
                split(ScalarText(normalized), normalized, into: &ids)
            }
        } else {
            split(text, bytes, into: &ids)
        }
    }

    /// NFC of `text` as UTF-8: the standard library's normaliser (`_nfcCodeUnits`, the one `String`
    /// comparison uses). Not Foundation's `precomposedStringWithCanonicalMapping`, which on Linux
    /// (CFStringNormalize) composes a supplementary-plane scalar's low surrogate with a following combining
    /// mark (U+1006F U+0311 becomes U+020F) and leaves a Hangul LV syllable and a trailing consonant apart.
    /// Checked against Python's unicodedata for every scalar NFC changes and every LV + T pair.
    static func nfc(_ text: String) -> [UInt8] { text._nfcCodeUnits }

    /// A segment's scalars, their classes and their byte offsets (plus the end).
    private struct ScalarText {
        var scalars: [UInt32]
        var classes: [UInt8]
        var offsets: [Int32]
        /// Whether NFC might change the text (`NFCCheck`, combining marks).
        var mayChangeUnderNFC: Bool

        /// Decodes valid UTF-8 into buffers of the right capacity, written through pointers.
        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            let count = bytes.count
            var flags: UInt8 = 0
            var decoded = 0
            var classes: [UInt8] = []
            var offsets: [Int32] = []
            scalars = [UInt32](unsafeUninitializedCapacity: count) { scalars, scalarCount in
                classes = [UInt8](unsafeUninitializedCapacity: count) { classes, classCount in
                    offsets = [Int32](unsafeUninitializedCapacity: count + 1) { offsets, offsetCount in
                        var i = 0
                        var n = 0
                        while i < count {
                            let lead = UInt32(bytes[i])
                            var value: UInt32
                            var length: Int
                            if lead < 0x80 {
                                value = lead; length = 1
                            } else if lead < 0xE0 {
                                value = (lead & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F); length = 2
                            } else if lead < 0xF0 {
                                value = (lead & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
                                length = 3
                            } else {
                                value = (lead & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12
                                    | UInt32(bytes[i + 2] & 0x3F) << 6 | UInt32(bytes[i + 3] & 0x3F)
                                length = 4
                            }
                            let c = PreTokenizer.classify(value)
                            flags |= c
                            scalars[n] = value
                            classes[n] = c & ~PreTokenizer.mayChangeUnderNFC
                            offsets[n] = Int32(i)
                            n += 1
                            i += length
                        }
                        offsets[n] = Int32(count)
                        decoded = n
                        offsetCount = n + 1
                    }
                    classCount = decoded
                }
                scalarCount = decoded
            }
            self.classes = classes
            self.offsets = offsets
            mayChangeUnderNFC = flags & PreTokenizer.mayChangeUnderNFC != 0
        }
    }

    private func split(_ text: ScalarText, _ bytes: UnsafeBufferPointer<UInt8>, into ids: inout [Int32]) {
        text.scalars.withUnsafeBufferPointer { scalars in
            text.classes.withUnsafeBufferPointer { classes in
                text.offsets.withUnsafeBufferPointer { offsets in
                    preTokenizer.split(scalars: scalars, classes: classes) { start, end in
                        let word = UnsafeBufferPointer(rebasing: bytes[Int(offsets[start])..<Int(offsets[end])])
                        encodeWord(word, into: &ids)
                    }
                }
            }
        }
    }

    /// BPE of one pre-tokenised piece's bytes, through the cache.
    @inline(__always)
    private func encodeWord(_ word: UnsafeBufferPointer<UInt8>, into ids: inout [Int32]) {
        if word.count == 1 {
            ids.append(byteIDs[Int(word[0])])
            return
        }
        let hash = BPEWordCache.hash(word)
        if cache.append(word, hash: hash, to: &ids) { return }
        let start = ids.count
        merge(word, into: &ids)
        cache.insert(word, hash: hash, ids: ids[start...])
    }

    /// Applies merges to the bytes of `word`, lowest rank first and leftmost on ties, appending the result.
    private func merge(_ word: UnsafeBufferPointer<UInt8>, into ids: inout [Int32]) {
        var symbols = word.map { byteIDs[Int($0)] }
        // pairs[k]: the merge of symbols k and k+1 as (rank << 32 | merged id), UInt64.max if none.
        var pairs = [UInt64](repeating: .max, count: symbols.count)
        for k in 0..<(symbols.count - 1) { pairs[k] = mergeOf(symbols[k], symbols[k + 1]) }
        while symbols.count > 1 {
            var best = UInt64.max
            var position = -1
            for k in 0..<(symbols.count - 1) where pairs[k] < best {
                best = pairs[k]
                position = k
            }
            guard position >= 0 else { break }
            symbols[position] = Int32(truncatingIfNeeded: best & 0xFFFF_FFFF)
            symbols.remove(at: position + 1)
            pairs.remove(at: position + 1)
            if position > 0 { pairs[position - 1] = mergeOf(symbols[position - 1], symbols[position]) }
            pairs[position] = position + 1 < symbols.count ? mergeOf(symbols[position], symbols[position + 1]) : .max
        }
        ids.append(contentsOf: symbols)
    }

    @inline(__always)
    private func mergeOf(_ left: Int32, _ right: Int32) -> UInt64 { merges.lookup(left, right) }
}
