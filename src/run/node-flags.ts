/**
 * Node flags for the run's own Node children: the fleet's workers and the embedded reference cloud.
 *
 * A young generation of up to 64 MiB a half (V8's default tops out at 16 MiB): in a reconnect burst both processes
 * hold thousands of handshakes, welcomes and thumbnails in flight for a few milliseconds each, and a small nursery
 * scavenged every few milliseconds promotes them to the old generation, whose collections then stop the process for
 * the whole heap of ten thousand sockets. With 3,000 cameras, alternating runs of bench/storm-burst-cpu.bench.ts
 * (two each, then two more of 64 against 32): the burst took 3.8 to 7.1 s with the default (422 to 792 hellos a
 * second), 2.7 to 3.3 s with 64 MiB (918 to 1,117), 3.4 and 4.3 s with 32 MiB. The full storm bench at 6,667
 * cameras and 3,334 users on a quiet machine, with this and the cloud's lighter device sockets against without:
 * 6 of 9 runs passed against 4 of 10, hello ratio median 0.32 against 0.30. The cost is memory the nursery may
 * grow into, at most 128 MiB a process and only when it is that busy (a worker's peak about 50 MiB higher there).
 */
export const NODE_CHILD_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
