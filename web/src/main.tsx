import { render } from 'preact';
import { App } from './app';
import './styles.css';

const root = document.getElementById('app')!;
// The "Loading…" line of index.html is for the moment before this script runs; Preact would keep it beside the app.
root.replaceChildren();
render(<App />, root);
