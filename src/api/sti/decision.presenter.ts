export { presentDecision } from '../../stir/as/decision-view.js'
