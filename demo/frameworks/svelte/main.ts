import { mount } from 'svelte';
import 'cc';
import App from './App.svelte';

mount(App, { target: document.getElementById('root')! });
