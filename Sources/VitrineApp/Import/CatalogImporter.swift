import Foundation
import Logging
import NIOPosix
import VitrineDomain
import VitrineStore

/// Imports a Shopify product CSV: parses it, resolves its images, writes the catalog in one
/// transaction, and only then copies image files into the data directory.
public struct CatalogImporter: Sendable {
    let mediaDirectory: String
    let logger: Logger

    public init(mediaDirectory: String, logger: Logger) {
        self.mediaDirectory = mediaDirectory
        self.logger = logger
    }

    /// A whole-file problem (encoding, delimiter, header) is a 422 with the line when known.
    public func importCSV(
        _ bytes: [UInt8], into scope: BrandScope, strict: Bool, baseDirectory: String?,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws -> ImportReport {
        let parsed: ShopifyImport
        do {
            parsed = try ShopifyCSV.parse(bytes)
        } catch {
            let message = error.line.map { "Line \($0): \(error.message)" } ?? error.message
            throw APIError(.unprocessableContent, code: "invalid_csv", message: message)
        }
        var report = ImportReport()
        report.strict = strict
        report.rejected = parsed.errors
        var images: [String: ResolvedImage] = [:]
        var copies: [(from: String, to: String)] = []
        for product in parsed.products {
            for image in product.images where images[image.src] == nil {
                if URLRules.isWebURL(image.src) {
                    images[image.src] = ResolvedImage(url: image.src, thumbnailUrl: nil)
                } else if let baseDirectory, let local = localImage(image.src, base: baseDirectory) {
                    let name = "\(product.handle)-\(image.position)-\(Secrets.hash(image.src).prefix(8)).\(local.ext)"
                    let relative = "\(scope.brandID.uuidString.lowercased())/products/\(name)"
                    images[image.src] = ResolvedImage(
                        url: "/media/\(relative)", thumbnailUrl: "/media/\(relative).thumb.jpg")
                    copies.append((local.path, relative))
                } else {
                    report.warnings.append(
                        ImportRowError(
                            line: product.line, field: "Image Src",
                            message: "\(product.handle): the image '\(image.src)' was skipped: "
                                + (baseDirectory == nil
                                    ? "an uploaded file can only use http(s) image URLs."
                                    : "no such PNG, JPEG, GIF or WebP file next to the CSV.")))
                }
            }
        }
        if strict && !report.rejected.isEmpty {
            return report
        }
        report = try await scope.importProducts(parsed.products, images: images, report: report, progress: progress)
        if report.imported { try await copy(copies) }
        return report
    }

    /// A relative path inside the CSV's folder (no `..` escape), to an image file that exists.
    func localImage(_ src: String, base: String) -> (path: String, ext: String)? {
        guard !src.hasPrefix("/"), !src.split(separator: "/").contains(".."), !src.contains("\\") else { return nil }
        let ext = (src as NSString).pathExtension.lowercased()
        guard ["png", "jpg", "jpeg", "gif", "webp"].contains(ext) else { return nil }
        let path = base + "/" + src
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return (path, ext)
    }

    /// Copies images and makes 320 px thumbnails with ffmpeg (when it is installed).
    func copy(_ copies: [(from: String, to: String)]) async throws {
        let media = mediaDirectory
        let logger = logger
        try await NIOThreadPool.singleton.runIfActive {
            let files = FileManager.default
            for copy in copies {
                let destination = media + "/" + copy.to
                try files.createDirectory(
                    atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                if files.fileExists(atPath: destination) { try files.removeItem(atPath: destination) }
                try files.copyItem(atPath: copy.from, toPath: destination)
                if !Thumbnails.make(from: destination, to: destination + ".thumb.jpg") {
                    logger.warning("thumbnail not made", metadata: ["file": "\(copy.to)"])
                }
            }
        }
    }
}

/// Thumbnails through ffmpeg, the one media tool Vitrine depends on.
enum Thumbnails {
    static func make(from source: String, to destination: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", source, "-vf", "scale='min(320,iw)':-2",
            "-frames:v", "1", destination,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus == 0
        } catch {
            return false
        }
    }
}
