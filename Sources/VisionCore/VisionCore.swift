// Module VisionCore. See Package.swift for the layering.
