// Module HTTPCore. See Package.swift for the layering.
