export { DisplayServer } from './server.js';
export { displayView, type DisplayAlert, type DisplayLine, type DisplayStatus, type DisplayView } from './view.js';
