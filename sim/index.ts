// The race simulator (a later issue). It imports nothing from server/ or client/.
export {};
