import OpenDataPipeline
import ArgumentParser
@main struct B { static func main() {} }
