// Module VLServeKit. See Package.swift for the layering.
