/** PASSporT and Identity: the public surface other modules import. */
export * from './canonical-json.js'
export * from './tn.js'
export * from './passport.js'
export * from './identity.js'
export * from './es256.js'
