export { startCartScreen, type CartScreen } from './cart-screen.js';
export { DisplayServer, type DisplayDeps } from './server.js';
export { displayView, type DisplayAlert, type DisplayLine, type DisplayScale, type DisplayStatus, type DisplayTotal, type DisplayView, type ViewContext } from './view.js';
