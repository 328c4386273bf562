import { createApp } from 'vue';
import 'cc';
import App from './App.vue';

createApp(App).mount('#root');
