// Module Engine. See Package.swift for the layering.
