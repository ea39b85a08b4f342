import OpenDataPipeline
import ArgumentParser
import Logging
@main struct M { static func main() {} }
