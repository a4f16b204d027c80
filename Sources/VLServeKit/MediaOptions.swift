/// Where images may come from and how big they may be (vLLM's media flags, openai-api.md §6.3).
public struct MediaOptions: Sendable {
    /// `file://` URLs are allowed only under this directory (`--allowed-local-media-path`); nil = no files.
    public var allowedLocalMediaPath: String?
    /// Hosts whose `http://` URLs are fetched (`--allowed-media-domains`); empty = no remote fetching.
    public var allowedMediaDomains: [String]
    /// Whole-fetch timeout for `http://` images, in seconds (`--media-fetch-timeout`, 5, as `VLLM_IMAGE_FETCH_TIMEOUT`).
    public var fetchTimeoutSeconds: Double
    /// Most encoded bytes per image from any source (`--max-media-bytes`, 20 MiB).
    public var maxMediaBytes: Int
    /// Most decoded pixels per image, checked from the header before decoding
    /// (`--max-image-decode-pixels`, 89,478,485 as Pillow's `MAX_IMAGE_PIXELS`).
    public var maxDecodedPixels: Int

    public init(allowedLocalMediaPath: String? = nil, allowedMediaDomains: [String] = [],
                fetchTimeoutSeconds: Double = 5, maxMediaBytes: Int = 20 << 20, maxDecodedPixels: Int = 89_478_485) {
        self.allowedLocalMediaPath = allowedLocalMediaPath
        self.allowedMediaDomains = allowedMediaDomains
        self.fetchTimeoutSeconds = fetchTimeoutSeconds
        self.maxMediaBytes = maxMediaBytes
        self.maxDecodedPixels = maxDecodedPixels
    }
}
