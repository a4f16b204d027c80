// Module BenchKit. See Package.swift for the layering.
