"""What the project tests and the benchmarks share: throwaway instances, a private PostgreSQL."""
