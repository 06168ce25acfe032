/// Area, energy of one action and latency of one action of a hardware component.
///
/// Every component of the accelerator (ADC, cell array, drivers, digital periphery) is its own
/// model that answers these three figures; the architecture composes them and the search sees
/// only the composed costs (the Timeloop/Accelergy split of components and architecture).
public protocol HardwareComponent: Sendable {
    /// Layout area of one instance, in square micrometres.
    var areaUM2: Double { get }
    /// Dynamic energy of one action (one conversion, one read, one addition...), in picojoules.
    var energyPJ: Double { get }
    /// Latency of one action, in nanoseconds.
    var latencyNS: Double { get }
}
