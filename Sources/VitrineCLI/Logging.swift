import Logging
import VitrineApp

enum Logging {
    /// One logger for the process, at the configured level, writing to standard error.
    static func make(_ config: AppConfig) -> Logger {
        var logger = Logger(label: "vitrine") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = config.logLevel
        return logger
    }
}
